package dev.resolute.server.config;

import java.util.Objects;

/** {@code [worker]}: partition processors and the invoker. */
public record WorkerConfig(InvokerConfig invoker) {
  public WorkerConfig {
    Objects.requireNonNull(invoker, "worker.invoker");
  }

  public static WorkerConfig defaults() {
    return new WorkerConfig(InvokerConfig.defaults());
  }
}
