package dev.resolute.server.partition;

import dev.resolute.server.log.MemoryLog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A simulated node: its own store (which outlives crashes up to its last flush) and, while it is
 * up, what a real node holds in memory — its view of the shared log, its appender, one partition
 * processor per partition, its waiting ingress requests and its invoker. It starts as {@code
 * ResoluteServer} does: applied LSNs from the store, replay, subscribe, lead (announce an epoch).
 */
final class SimNode {
  final int id;
  final SimStore store = new SimStore();
  private final Simulation sim;
  private final long skewMillis;

  /** Bumped at every start and crash: tasks of an earlier incarnation never run. */
  long incarnation;

  boolean everStarted;

  boolean up;
  long startedAt;
  MemoryLog.View view;
  private Appender appender;
  PartitionProcessor[] processors;
  Replies replies;
  SimDeployment deployment;

  SimNode(Simulation sim, int id, long skewMillis) {
    this.sim = sim;
    this.id = id;
    this.skewMillis = skewMillis;
  }

  Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public long millis() {
        return sim.now + skewMillis;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis());
      }
    };
  }

  Appender appender() {
    return appender;
  }

  void start() {
    incarnation++;
    up = true;
    everStarted = true;
    startedAt = sim.now;
    long inc = incarnation;
    int n = sim.partitions;
    view = sim.log.view(id);
    appender = new Appender(view, clock(), id);
    replies = new Replies(((long) id << 40) + (inc << 24));
    deployment = new SimDeployment(sim, this, inc);
    SimScheduler scheduler = new SimScheduler(sim, this, inc);
    processors = new PartitionProcessor[n];
    long[] applied = new long[n];
    for (int p = 0; p < n; p++) {
      processors[p] =
          new PartitionProcessor(
              p,
              sim.partitioning,
              store,
              appender,
              deployment,
              replies,
              scheduler,
              r -> sim.at(sim.rnd.nextInt(3), this, inc, r));
      applied[p] = PartitionProcessor.appliedLsn(store, p);
    }
    view.replay(applied, (p, lsn, payload) -> processors[p].replay(lsn, payload));
    for (int p = 0; p < n; p++) {
      view.subscribe(p, processors[p]::onCommitted);
    }
    for (PartitionProcessor pp : processors) {
      pp.lead();
    }
    sim.trace(this, "started (incarnation %d)", inc);
    pump(inc);
  }

  /** While up: delivers committed records now and then, and flushes the store at random. */
  private void pump(long inc) {
    sim.at(
        1 + sim.rnd.nextInt(3),
        this,
        inc,
        () -> {
          view.deliver(1 + sim.rnd.nextInt(8));
          if (sim.rnd.nextInt(100) == 0) {
            store.flush();
          }
          pump(inc);
        });
  }

  /** The process dies: memory, pending appends and unflushed store writes are gone. */
  void crash() {
    sim.trace(this, "crash");
    incarnation++;
    up = false;
    view.crash();
    for (PartitionProcessor pp : processors) {
      pp.stop();
    }
    store.crash();
    processors = null;
    deployment = null;
    replies = null;
  }

  /** Whether this node has applied everything committed and has nothing running. */
  boolean idle() {
    if (view.undelivered() > 0 || deployment.live() > 0) {
      return false;
    }
    for (PartitionProcessor pp : processors) {
      if (pp.pendingRecords() > 0) {
        return false;
      }
    }
    return true;
  }
}
