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
 * the old one appends after it carry an older epoch. With {@code cluster.fencing = "transactional"}
 * the log fences it as well: the claim opens the partition's transactional producer, which fences
 * the old leader's (see {@code KafkaLog}).
 *
 * <p>A node whose log stopped taking appends cannot lead: it leaves the group (its leaders step
 * down and the others take its partitions), lets the log take appends again through a new producer
 * ({@link NodeLog#restartAppends}) and joins again after a second. The same happens when the
 * group's consumer fails. So a node paused or cut off from Kafka longer than an append may wait
 * comes back by itself, without a restart.
 */
public final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** The node's log as the membership sees it. */
  public interface NodeLog {
    /** Why the log stopped taking appends, or null while it works. */
    Throwable failure();

    /** Lets a stopped log take appends again; called while the node leads no partition. */
    void restartAppends();

    /**
     * Why the node can never lead again without a restart (it no longer applies the log), or null.
     */
    default Throwable fatal() {
      return null;
    }
  }

  /** How long a node that left the group after a failure waits before it joins again. */
  static final Duration REJOIN_AFTER = Duration.ofSeconds(1);

  /** What the node does when the group gives or takes a partition; called on the poll thread. */
  public interface Listener {
    void assigned(int partition);

    void revoked(int partition);
  }

  private final ClusterConfig config;
  private final String groupId;
  private final String clientId;
  private final Listener listener;
  private final NodeLog log;
  private final PauseDetector pauses;
  private final Set<Integer> owned = new ConcurrentSkipListSet<>();
  private volatile boolean closed;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param log this node's log: a node whose log cannot append cannot lead, so it leaves the group
   *     until the log takes appends again
   * @param pauses a node that stood still may have been fenced: it leaves the group and joins again
   */
  public Membership(
      ClusterConfig config, String nodeName, Listener listener, NodeLog log, PauseDetector pauses) {
    this.config = config;
    this.log = log;
    this.pauses = pauses;
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
    thread = new Thread(this::run, "cluster-membership");
    thread.setDaemon(true);
    thread.start();
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
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
    return new KafkaConsumer<>(p);
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
    while (!closed) {
      boolean logStopped = memberOnce();
      if (closed) {
        break;
      }
      Throwable fatal = log.fatal();
      if (fatal != null) {
        LOG.error("this node stays out of the cluster's group: {}", fatal.getMessage());
        return;
      }
      if (pauses.pausedMillis() > 0) {
        pauses.clear(); // every partition stepped down in memberOnce
      }
      if (logStopped) {
        try {
          log.restartAppends();
        } catch (RuntimeException e) {
          LOG.error("the log cannot take appends again; retrying before the node joins again", e);
        }
      }
      long until = System.nanoTime() + REJOIN_AFTER.toNanos();
      while (!closed && System.nanoTime() < until) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!closed) {
        LOG.info("this node joins the cluster's group again");
      }
    }
  }

  /**
   * Is a member of the group until the node closes, its log stops taking appends or the group's
   * consumer fails; then gives up every partition it leads. Returns whether the log stopped.
   */
  private boolean memberOnce() {
    boolean logStopped = false;
    KafkaConsumer<byte[], byte[]> c;
    try {
      c = newConsumer();
    } catch (RuntimeException e) {
      LOG.error("cannot create the cluster membership's consumer", e);
      return false;
    }
    consumer = c;
    try {
      if (closed) {
        return false; // close() may have woken the consumer before this one
      }
      c.subscribe(List.of(config.topic()), new Rebalance());
      while (!closed) {
        c.poll(POLL); // heartbeats and rebalances; paused partitions return nothing
        Throwable failed = log.failure() != null ? log.failure() : log.fatal();
        if (failed != null) {
          LOG.error(
              "the log stopped taking appends: this node leaves the cluster's group until it takes"
                  + " appends again",
              failed);
          logStopped = true;
          break;
        }
        long paused = pauses.pausedMillis();
        if (paused > 0) {
          LOG.warn(
              "this node stood still for {} ms, longer than half the session timeout: it leaves"
                  + " the cluster's group and joins again, claiming under new epochs",
              paused);
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
        c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the membership consumer failed", e);
      }
    }
    return logStopped;
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
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        try {
          c.wakeup();
        } catch (RuntimeException e) {
          LOG.debug("waking the membership consumer up failed", e);
        }
      }
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
