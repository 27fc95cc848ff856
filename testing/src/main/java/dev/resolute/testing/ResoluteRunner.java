package dev.resolute.testing;

import dev.resolute.client.Client;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.testing.internal.Deployments;
import dev.resolute.testing.internal.EmbeddedResolute;
import dev.resolute.testing.internal.RestateProcess;
import dev.resolute.testing.internal.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starts a server (embedded Resolute or the real restate-server), serves the bound services on an
 * SDK endpoint on a free loopback port, and registers that endpoint as a deployment. What {@link
 * ResoluteExtension} does for a test class, usable from any code:
 *
 * <pre>{@code
 * try (ResoluteRunner runner = ResoluteRunner.builder().bind(new Greeter()).start()) {
 *   String hi = runner.client().call(Request.of(Target.service("Greeter", "greet"),
 *       TypeTag.of(String.class), TypeTag.of(String.class), "Ann")).response();
 * }
 * }</pre>
 */
public final class ResoluteRunner implements AutoCloseable {
  /**
   * How long each set-up step took (wall clock; server and endpoint start concurrently), and the
   * CPU time this JVM spent meanwhile — a load-independent figure: on a busy machine the wall-clock
   * times of a cold JVM (class loading, JIT) stretch many times over. {@code jvmCpu} is negative
   * when the JVM cannot report process CPU time; it excludes an external restate-server's CPU.
   */
  public record SetupTimes(
      Duration server, Duration endpoint, Duration registration, Duration total, Duration jvmCpu) {
    @Override
    public String toString() {
      return total.toMillis()
          + " ms (server "
          + server.toMillis()
          + " ms, endpoint "
          + endpoint.toMillis()
          + " ms, registration "
          + registration.toMillis()
          + " ms; JVM CPU "
          + jvmCpu.toMillis()
          + " ms)";
    }
  }

  private static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private final TestServer server;
  private final ResoluteHttpServer endpointServer;
  private final SetupTimes setupTimes;
  private final IngressClient ingressClient;
  private final Client client;

  private ResoluteRunner(
      TestServer server, ResoluteHttpServer endpointServer, SetupTimes setupTimes) {
    this.server = server;
    this.endpointServer = endpointServer;
    this.setupTimes = setupTimes;
    this.ingressClient = new IngressClient(server.ingressUri());
    this.client = Client.connect(server.ingressUri().toString());
  }

  public static Builder builder() {
    return new Builder();
  }

  public URI ingressUri() {
    return server.ingressUri();
  }

  public URI adminUri() {
    return server.adminUri();
  }

  /** The loopback address of the SDK endpoint serving the bound services. */
  public URI endpointUri() {
    return URI.create("http://127.0.0.1:" + endpointServer.port());
  }

  /** The ingress {@link Client} (typed calls, sends, attach, awakeables). */
  public Client client() {
    return client;
  }

  /** A raw HTTP client of the ingress (status codes and bodies as the server sends them). */
  public IngressClient ingressClient() {
    return ingressClient;
  }

  public SetupTimes setupTimes() {
    return setupTimes;
  }

  /** Which server runs, for log lines. */
  public String serverDescription() {
    return server.description();
  }

  /** Stops the server first (no new attempts), then the endpoint; deletes the server's data. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      endpointServer.close();
    }
  }

  public static final class Builder {
    private final List<Object> services = new ArrayList<>();
    private ServerKind serverKind = ServerKind.EMBEDDED;
    private boolean useHttp11;
    private int partitions = 4;
    private Duration startTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** A service instance (annotated class) or a {@code ServiceDefinition}. */
    public Builder bind(Object service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    public Builder server(ServerKind kind) {
      this.serverKind = Objects.requireNonNull(kind);
      return this;
    }

    /** Register with {@code use_http_11} (request/response protocol mode). */
    public Builder useHttp11(boolean useHttp11) {
      this.useHttp11 = useHttp11;
      return this;
    }

    /** Partitions of the embedded server. */
    public Builder partitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1");
      }
      this.partitions = partitions;
      return this;
    }

    /** How long to wait for an external restate-server to become healthy. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Starts everything: the server and the endpoint concurrently, then the registration.
     *
     * @throws IllegalStateException when nothing is bound or a step fails (everything started is
     *     stopped)
     */
    public ResoluteRunner start() {
      if (services.isEmpty()) {
        throw new IllegalStateException(
            "no services bound: annotate fields with @BindService or call bind()");
      }
      Endpoint.Builder eb = Endpoint.builder();
      services.forEach(eb::bind);
      Endpoint endpoint = eb.build();

      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      CompletableFuture<Started> serverFuture =
          CompletableFuture.supplyAsync(
              () -> {
                TestServer s = startServer();
                return new Started(s, System.nanoTime());
              },
              task -> {
                Thread t = new Thread(task, "resolute-testing-server-start");
                t.setDaemon(true);
                t.start();
              });
      ResoluteHttpServer endpointServer;
      try {
        endpointServer = ResoluteHttpServer.start(endpoint, "127.0.0.1", 0);
      } catch (RuntimeException e) {
        serverFuture.thenAccept(s -> s.server().close());
        throw e;
      }
      long endpointDone = System.nanoTime();
      Started started;
      try {
        started = serverFuture.join();
      } catch (CompletionException e) {
        endpointServer.close();
        throw e.getCause() instanceof RuntimeException re ? re : e;
      }
      TestServer server = started.server();
      long registrationStart = System.nanoTime();
      try {
        Deployments.register(
            server.adminUri(), URI.create("http://127.0.0.1:" + endpointServer.port()), useHttp11);
      } catch (RuntimeException e) {
        server.close();
        endpointServer.close();
        throw e;
      }
      long end = System.nanoTime();
      SetupTimes times =
          new SetupTimes(
              Duration.ofNanos(started.at() - t0),
              Duration.ofNanos(endpointDone - t0),
              Duration.ofNanos(end - registrationStart),
              Duration.ofNanos(end - t0),
              Duration.ofNanos(cpu0 < 0 ? -1 : processCpuNanos() - cpu0));
      return new ResoluteRunner(server, endpointServer, times);
    }

    private record Started(TestServer server, long at) {}

    private TestServer startServer() {
      return switch (serverKind) {
        case EMBEDDED -> EmbeddedResolute.start(partitions);
        case RESTATE -> RestateProcess.start(startTimeout);
      };
    }
  }
}
