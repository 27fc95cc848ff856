package dev.resolute.server.config;

import java.util.Objects;

/** {@code [worker]}: partition processors, the invoker and the snapshot repository. */
public record WorkerConfig(InvokerConfig invoker, SnapshotsConfig snapshots) {
  public WorkerConfig {
    Objects.requireNonNull(invoker, "worker.invoker");
    Objects.requireNonNull(snapshots, "worker.snapshots");
  }

  public WorkerConfig(InvokerConfig invoker) {
    this(invoker, SnapshotsConfig.defaults());
  }

  public static WorkerConfig defaults() {
    return new WorkerConfig(InvokerConfig.defaults(), SnapshotsConfig.defaults());
  }
}
