package dev.resolute.sdk;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How the handlers of one bound service run. Only {@link Options} is public: pass it to {@code
 * Endpoint.bind(service, options)}. Restate's class of the same name also builds handler runners
 * ({@code HandlerRunner.of(...)}); here handler code is given as a {@link
 * dev.resolute.sdk.endpoint.definition.HandlerFunction} instead.
 */
public final class HandlerRunner {
  private HandlerRunner() {}

  /** Options of a bound service's handler execution. */
  public static final class Options {
    /** Handlers run on the endpoint's executor (a cached pool of daemon threads by default). */
    public static final Options DEFAULT = new Options(null);

    private final Executor executor;

    private Options(Executor executor) {
      this.executor = executor;
    }

    /**
     * Handlers of the service run on {@code executor}, one task per invocation attempt (the task
     * blocks while the handler awaits), e.g. {@code Executors.newVirtualThreadPerTaskExecutor()} on
     * JDK 21. The endpoint does not shut it down.
     */
    public static Options withExecutor(Executor executor) {
      return new Options(Objects.requireNonNull(executor, "executor"));
    }

    /** The executor, or {@code null} for the endpoint's. */
    public Executor executor() {
      return executor;
    }
  }
}
