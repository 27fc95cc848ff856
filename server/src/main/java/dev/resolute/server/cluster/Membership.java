package dev.resolute.server.cluster;

import dev.resolute.server.config.ClusterConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions this node leads, decided by Kafka's group membership: every node joins one
 * consumer group per cluster on the log topic with the cooperative-sticky assignor, and the
 * partitions assigned to a node are the partitions it leads. The group's consumer never reads
 * records (its partitions are paused as they are assigned): records reach every node through its
 * log's own tailing consumer. A node that stops heart-beating for {@code session-timeout} (crash,
 * pause, partition from Kafka) leaves the group and its partitions go to the others; cooperative
 * rebalancing moves only those, so the other leaders never pause.
 *
 * <p>Kafka's assignment alone does not fence: a paused node still believes it leads until its
 * consumer polls again. What fences it is the leader epoch at apply (see {@code
 * PartitionProcessor.claim}): the new leader's announcement comes first in the log, and the records
 * the old one appends after it carry an older epoch.
 */
public final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** What the node does when the group gives or takes a partition; called on the poll thread. */
  public interface Listener {
    void assigned(int partition);

    void revoked(int partition);
  }

  private final ClusterConfig config;
  private final String groupId;
  private final String clientId;
  private final Listener listener;
  private final java.util.function.Supplier<? extends Throwable> logFailure;
  private final Set<Integer> owned = new ConcurrentSkipListSet<>();
  private volatile boolean closed;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param logFailure why this node's log stopped taking appends, or null while it works: a node
   *     that cannot append cannot lead, so it leaves the group and the others take its partitions
   */
  public Membership(
      ClusterConfig config,
      String nodeName,
      Listener listener,
      java.util.function.Supplier<? extends Throwable> logFailure) {
    this.config = config;
    this.logFailure = logFailure;
    this.groupId = config.topic() + "-leaders";
    this.clientId = clientId(config.nodeId(), nodeName);
    this.listener = listener;
  }

  /** The group's client id of a node: names the node id and name in the group's description. */
  static String clientId(int nodeId, String nodeName) {
    return "resolute-node-" + nodeId + "-" + nodeName;
  }

  /** The node id in a client id of {@link #clientId}, or -1. */
  static int nodeIdOf(String clientId) {
    String prefix = "resolute-node-";
    if (clientId == null || !clientId.startsWith(prefix)) {
      return -1;
    }
    String rest = clientId.substring(prefix.length());
    int dash = rest.indexOf('-');
    try {
      return Integer.parseInt(dash < 0 ? rest : rest.substring(0, dash));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public synchronized void start() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    int session = (int) config.sessionTimeout().toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, session / 4));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer = new KafkaConsumer<>(p);
    consumer.subscribe(List.of(config.topic()), new Rebalance());
    thread = new Thread(this::run, "cluster-membership");
    thread.setDaemon(true);
    thread.start();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      consumer.pause(partitions); // never fetches: the log's tailer delivers the records
      for (TopicPartition tp : sorted(partitions)) {
        if (owned.add(tp.partition())) {
          LOG.info("partition {} assigned to this node", tp.partition());
          listener.assigned(tp.partition());
        }
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      drop(partitions, "revoked from");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop(partitions, "lost by");
    }

    private void drop(Collection<TopicPartition> partitions, String how) {
      for (TopicPartition tp : sorted(partitions)) {
        if (owned.remove(tp.partition())) {
          LOG.info("partition {} {} this node", tp.partition(), how);
          listener.revoked(tp.partition());
        }
      }
    }
  }

  private static List<TopicPartition> sorted(Collection<TopicPartition> partitions) {
    return partitions.stream()
        .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  private void run() {
    try {
      while (!closed) {
        consumer.poll(POLL); // heartbeats and rebalances; paused partitions return nothing
        Throwable failed = logFailure.get();
        if (failed != null) {
          LOG.error("the log stopped taking appends: this node leaves the cluster's group", failed);
          break;
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        LOG.error("cluster membership woken up while open", e);
      }
    } catch (RuntimeException e) {
      LOG.error("cluster membership failed: this node gives up the partitions it leads", e);
    } finally {
      for (int p : new TreeSet<>(owned)) {
        owned.remove(p);
        listener.revoked(p);
      }
      try {
        consumer.close(
            org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the membership consumer failed", e);
      }
    }
  }

  /** The partitions this node leads, as the group assigned them. */
  public Set<Integer> owned() {
    return Set.copyOf(owned);
  }

  /** One member of the group: a node, its Kafka client host and the partitions it leads. */
  public record Member(int nodeId, String clientId, String host, List<Integer> partitions) {}

  /** The group's members as the coordinator describes them (asks Kafka; blocks up to 10 s). */
  public List<Member> members() {
    Map<String, Object> p = new HashMap<>();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(p)) {
      ConsumerGroupDescription d =
          admin
              .describeConsumerGroups(List.of(groupId))
              .describedGroups()
              .get(groupId)
              .get(10, TimeUnit.SECONDS);
      return d.members().stream()
          .map(Membership::member)
          .sorted(java.util.Comparator.comparingInt(Member::nodeId))
          .toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing the cluster", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot describe the cluster's group " + groupId, e);
    }
  }

  private static Member member(MemberDescription m) {
    List<Integer> ps =
        m.assignment().topicPartitions().stream().map(TopicPartition::partition).sorted().toList();
    return new Member(nodeIdOf(m.clientId()), m.clientId(), m.host(), ps);
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    if (t != null && t.isAlive()) {
      consumer.wakeup();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
