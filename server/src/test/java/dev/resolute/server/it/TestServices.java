package dev.resolute.server.it;

import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.endpoint.definition.InvocationRetryPolicy;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Services written with the official Restate Java SDK 2.4.0, used as the deployment in the server's
 * integration tests. Runs in-process or as its own JVM ({@link #main}); every execution of a {@code
 * ctx.run} closure is appended to a marker file so tests can count re-executions across crashes.
 */
public final class TestServices {
  static Path markers =
      Path.of(System.getProperty("markers.dir", System.getProperty("java.io.tmpdir")));
  static final ConcurrentHashMap<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  static void mark(String name) {
    try {
      Files.writeString(
          markers.resolve(name),
          "x\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one line with {@code value} to the marker file {@code name}. */
  static void publish(String name, String value) {
    try {
      Files.writeString(
          markers.resolve(name),
          value + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Endpoint endpoint() {
    return Endpoint.builder()
        .bind(
            new Greeter(),
            s ->
                s.configureHandler("count", h -> h.idempotencyRetention(Duration.ofSeconds(3)))
                    .configureHandler("terminal", h -> h.journalRetention(Duration.ofSeconds(2)))
                    .configureHandler("secret", h -> h.ingressPrivate(true)))
        .bind(new Counter())
        .bind(
            new Kinds(),
            s ->
                s.configureHandler("failsInRun", h -> h.invocationRetryPolicy(anHour()))
                    .configureHandler("failsAfterCall", h -> h.invocationRetryPolicy(anHour())))
        .bind(new KafkaRecorder())
        .bind(new LazyBox(), s -> s.enableLazyState(true))
        .bind(new Signup())
        .bind(new ClusterSteps())
        .bind(new ClusterFlow())
        .bind(new Replays())
        .bind(
            new Diverging(),
            s ->
                s.configureHandler(
                    "setDifferentKey", h -> h.inactivityTimeout(Duration.ofMillis(200))))
        .bind(new ShortFlow(), s -> s.workflowRetention(Duration.ofSeconds(2)))
        .bind(
            new Tree(),
            s ->
                s.configureHandler("suspends", h -> h.inactivityTimeout(Duration.ofMillis(500)))
                    .configureHandler(
                        "pauses",
                        h ->
                            h.invocationRetryPolicy(
                                InvocationRetryPolicy.builder()
                                    .initialInterval(Duration.ofMillis(100))
                                    .maxAttempts(3)
                                    .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.PAUSE)))
                    .configureHandler(
                        "backsOff",
                        h ->
                            h.invocationRetryPolicy(
                                InvocationRetryPolicy.builder()
                                    .initialInterval(Duration.ofHours(1))
                                    // given explicitly: with the default max interval (1 m)
                                    // Resolute retries after a minute, restate-server after
                                    // the hour (server README, open differences)
                                    .maxInterval(Duration.ofHours(1))
                                    .maxAttempts(100)
                                    .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.PAUSE)))
                    .configureHandler(
                        "killed",
                        h ->
                            h.invocationRetryPolicy(
                                InvocationRetryPolicy.builder()
                                    .initialInterval(Duration.ofMillis(100))
                                    .maxAttempts(2)
                                    .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.KILL))))
        .build();
  }

  /** A first retry after an hour: the invocation stays backing off for the length of a test. */
  static InvocationRetryPolicy.Builder anHour() {
    return InvocationRetryPolicy.builder()
        .initialInterval(Duration.ofHours(1))
        .maxInterval(Duration.ofHours(1))
        .maxAttempts(100)
        .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.PAUSE);
  }

  /**
   * {@code TestServices <port, 0 for any> <markers dir>}: serve until killed; prints the bound
   * port.
   */
  public static void main(String[] args) throws Exception {
    markers = Path.of(args[1]);
    int port = RestateHttpServer.listen(endpoint(), Integer.parseInt(args[0]));
    System.out.println("SERVICES READY port=" + port);
    Thread.currentThread().join();
  }
}
