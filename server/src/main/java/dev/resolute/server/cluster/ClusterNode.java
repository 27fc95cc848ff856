package dev.resolute.server.cluster;

import dev.resolute.server.cluster.snapshot.Snapshots;
import dev.resolute.server.cluster.snapshot.Snapshotter;
import dev.resolute.server.config.ClusterConfig;
import dev.resolute.server.config.SnapshotsConfig;
import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.KafkaLogOptions;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.storage.RocksStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node of a cluster on Kafka: the log on the cluster's topic, the membership that decides which
 * partitions this node leads, and the view of the cluster the admin API shows. Every partition's
 * processor follows the log (a warm follower; with {@code cluster.warm-followers = false} a cold
 * one, applied only while led or read, see {@code PartitionProcessor.coldFollower}); the membership
 * makes it claim or give up leadership.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private final ClusterConfig config;
  private final String nodeName;
  private final PartitionProcessor[] processors;
  private final Membership membership;
  private final PauseDetector pauses;

  private ClusterNode(
      ClusterConfig config,
      String nodeName,
      PartitionProcessor[] processors,
      Membership.NodeLog log) {
    this.config = config;
    this.nodeName = nodeName;
    this.processors = processors;
    // a stand-still of half the session timeout may already have cost the node its partitions
    this.pauses = new PauseDetector(config.sessionTimeout().dividedBy(2));
    for (PartitionProcessor p : processors) {
      p.leaseWith(pauses::leaseValid);
    }
    this.membership =
        new Membership(
            config,
            nodeName,
            new Membership.Listener() {
              @Override
              public void assigned(int partition) {
                processors[partition].claim();
              }

              @Override
              public void revoked(int partition) {
                processors[partition].stepDown();
              }
            },
            log,
            pauses);
  }

  /** Opens the cluster's log topic (creating it on the first start of the cluster). */
  public static KafkaLog openLog(ClusterConfig c, String nodeName, int partitions) {
    return KafkaLog.open(
        new KafkaLogOptions(
            c.bootstrapServers(),
            c.topic(),
            c.replicationFactor(),
            c.minInsyncReplicas(),
            c.appendTimeout(),
            nodeName + "-" + c.nodeId(),
            Map.of()),
        partitions,
        c.fencing() == ClusterConfig.Fencing.TRANSACTIONAL);
  }

  /**
   * The cluster's metadata log (schema registry, Kafka clusters and subscriptions, see {@code
   * schema.MetadataLog}): one partition of the topic {@code <topic>-metadata}, with the log topic's
   * replication.
   */
  public static KafkaLog openMetadataLog(ClusterConfig c, String nodeName) {
    return KafkaLog.open(
        new KafkaLogOptions(
            c.bootstrapServers(),
            c.topic() + "-metadata",
            c.replicationFactor(),
            c.minInsyncReplicas(),
            c.appendTimeout(),
            nodeName + "-" + c.nodeId() + "-metadata",
            Map.of()),
        1);
  }

  /** The node, not a member yet (see {@link #join}). */
  public static ClusterNode create(
      ClusterConfig config, String nodeName, PartitionProcessor[] processors, KafkaLog log) {
    return new ClusterNode(
        config,
        nodeName,
        processors,
        new Membership.NodeLog() {
          @Override
          public Throwable failure() {
            return log.failure();
          }

          @Override
          public void restartAppends() {
            log.restartAppends();
          }

          @Override
          public Throwable fatal() {
            return log.deliveryFailure();
          }
        });
  }

  /**
   * Why the node's log does not work, for {@code /health}: appends stopped, or records are no
   * longer delivered (the node fell behind the log's trim point), or null.
   */
  public static java.util.function.Supplier<Throwable> failure(KafkaLog log) {
    return () -> log.failure() != null ? log.failure() : log.deliveryFailure();
  }

  /**
   * The node's snapshotter (see {@link Snapshotter}): the node writes snapshots while it leads
   * partition 0, of its whole store, and trims {@code log} below the oldest kept. With cold
   * followers ({@code cluster.warm-followers = false}) the writer first catches every partition up
   * (the partitions it does not lead are held for the checkpoint, see {@link
   * ColdFollowers#holdAll}), so each snapshot holds every partition at a recent LSN and the trim
   * rule stays the same; how much the log grew is read from the log's ends, not from the writer's
   * applied LSNs.
   */
  public static Snapshotter snapshotter(
      Snapshots snapshots,
      SnapshotsConfig config,
      ClusterConfig cluster,
      RocksStore store,
      PartitionProcessor[] processors,
      KafkaLog log,
      java.nio.file.Path work,
      java.time.Clock clock) {
    return new Snapshotter(
        snapshots,
        config,
        new Snapshotter.Node() {
          @Override
          public boolean writer() {
            return processors[0].isLeader() && log.deliveryFailure() == null;
          }

          @Override
          public long[] applied() {
            if (!cluster.warmFollowers()) {
              return log.endLsns(Duration.ofSeconds(10));
            }
            return PartitionProcessor.appliedLsns(store, processors.length);
          }

          @Override
          public void checkpoint(java.nio.file.Path dir) {
            if (!cluster.warmFollowers()
                && !ColdFollowers.holdAll(processors, null, Duration.ofSeconds(60))) {
              throw new IllegalStateException(
                  "not every partition caught up for the snapshot; taken again later");
            }
            store.checkpoint(dir);
          }

          @Override
          public long[] appliedIn(java.nio.file.Path dir) {
            try (RocksStore ro = RocksStore.openReadOnly(dir)) {
              return PartitionProcessor.appliedLsns(ro, processors.length);
            }
          }

          @Override
          public void trimTo(long[] lsns) {
            log.trimTo(lsns);
          }
        },
        cluster.topic(),
        cluster.nodeId(),
        work,
        clock);
  }

  /**
   * Joins the membership: from now on the node leads the partitions the group assigns it. Called
   * once the node serves; every processor already follows the log.
   */
  public void join() {
    membership.start();
    LOG.info(
        "node {} ({}) joined the cluster on topic {} at {}",
        config.nodeId(),
        nodeName,
        config.topic(),
        config.bootstrapServers());
  }

  /**
   * Flushes the store every {@code interval}: the store has no write-ahead log, so after a crash a
   * node replays the log topic from the applied LSNs of its last flush.
   */
  public static AutoCloseable checkpoints(RocksStore store, Duration interval) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "store-checkpoints");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, interval.toMillis());
    s.scheduleWithFixedDelay(
        () -> {
          try {
            store.flush();
          } catch (RuntimeException e) {
            LOG.warn("store checkpoint failed; retrying at the next one: {}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    return () -> {
      s.shutdownNow();
      s.awaitTermination(10, TimeUnit.SECONDS);
    };
  }

  public int nodeId() {
    return config.nodeId();
  }

  /** The partitions this node leads now (its own view: assigned and announcement won). */
  public List<Integer> leading() {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < processors.length; p++) {
      if (processors[p].isLeader()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The group's members (asks Kafka). */
  public List<Membership.Member> members() {
    return membership.members();
  }

  /** Each partition's leader as this node applied it from the log: {epoch, node}. */
  public long[][] appliedLeaders() {
    long[][] out = new long[processors.length][];
    for (int p = 0; p < processors.length; p++) {
      out[p] = processors[p].appliedLeader();
    }
    return out;
  }

  public String nodeName() {
    return nodeName;
  }

  /** The live nodes' ids, for {@code GET /cluster-health} (asks Kafka). */
  public List<Integer> memberIds() {
    return members().stream().map(Membership.Member::nodeId).sorted().toList();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * {@code GET /cluster}: this node, the group's members with the partitions each leads, and each
   * partition's leader as applied here from the log (node, epoch) beside whether this node leads it
   * now.
   */
  public com.fasterxml.jackson.databind.JsonNode view() {
    var o = JSON.createObjectNode();
    o.put("node_id", config.nodeId());
    o.put("node_name", nodeName);
    o.put("topic", config.topic());
    var nodes = o.putArray("nodes");
    for (Membership.Member m : members()) {
      var n = nodes.addObject();
      n.put("node_id", m.nodeId());
      n.put("client_id", m.clientId());
      n.put("host", m.host());
      var ps = n.putArray("partitions");
      m.partitions().forEach(ps::add);
    }
    var parts = o.putArray("partitions");
    long[][] leaders = appliedLeaders();
    for (int p = 0; p < leaders.length; p++) {
      var x = parts.addObject();
      x.put("partition", p);
      x.put("leader_node", leaders[p][1]);
      x.put("leader_epoch", leaders[p][0]);
      x.put("led_here", processors[p].isLeader());
      // false on a cold follower for a partition it does not apply now: its leader is stale
      x.put("applied_here", processors[p].applying());
    }
    return o;
  }

  @Override
  public void close() {
    membership.close();
    pauses.close();
  }
}
