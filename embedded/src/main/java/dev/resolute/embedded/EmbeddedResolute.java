package dev.resolute.embedded;

import dev.resolute.client.Client;
import dev.resolute.embedded.internal.InProcessDeployments;
import dev.resolute.sdk.HandlerRunner;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.server.ResoluteServer;
import dev.resolute.server.api.Failures;
import dev.resolute.server.config.AdminConfig;
import dev.resolute.server.config.BindAddress;
import dev.resolute.server.config.IngressConfig;
import dev.resolute.server.config.NodeConfig;
import dev.resolute.server.config.ServerConfig;
import dev.resolute.server.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A Resolute node running inside this JVM, serving the services bound to it in-process: the same
 * log, group commit and fsync, store and recovery as {@code ./resolute-server}, in its own data
 * directory; the invoker reaches the bound services through an in-memory transport (no socket, no
 * HTTP) registered as the deployment {@code inprocess://app/}, which is persisted like any
 * deployment so that after a crash the invocations in flight resume on the next start. The ingress
 * and admin ports are optional; remote deployments can be registered beside the local one. {@link
 * #close()} stops it cleanly; a crash loses nothing acknowledged.
 */
public final class EmbeddedResolute implements AutoCloseable {
  private static final long REGISTRATION_TIMEOUT_SECONDS = 60;

  private final ResoluteServer server;
  private final InProcessDeployments local;
  private final String deploymentId;
  private final String ingressHost;
  private final String adminHost;

  private EmbeddedResolute(
      ResoluteServer server,
      InProcessDeployments local,
      String deploymentId,
      String ingressHost,
      String adminHost) {
    this.server = server;
    this.local = local;
    this.deploymentId = deploymentId;
    this.ingressHost = ingressHost;
    this.adminHost = adminHost;
  }

  /** The URI of the in-process deployment of this JVM's services, e.g. {@code inprocess://app/}. */
  public URI deploymentUri() {
    return local.uri();
  }

  /**
   * The id of the in-process deployment (kept across restarts on the same data directory), or null
   * when no service is bound.
   */
  public String deploymentId() {
    return deploymentId;
  }

  /** The directory the node keeps its data in: {@code <data dir>/<node name>}. */
  public Path dataDir() {
    return server.config().dataDir();
  }

  /** Whether the ingress port is bound. */
  public boolean hasIngressPort() {
    return server.ingressPort() >= 0;
  }

  /** Whether the admin port is bound. */
  public boolean hasAdminPort() {
    return server.adminPort() >= 0;
  }

  /** The ingress URL, e.g. {@code http://127.0.0.1:8080}; throws when the port is not bound. */
  public URI ingressUri() {
    if (!hasIngressPort()) {
      throw new IllegalStateException("the ingress port is not bound (withoutIngress())");
    }
    return URI.create("http://" + new BindAddress(ingressHost, server.ingressPort()));
  }

  /** The admin API URL (CLI, UI at {@code /ui}); throws when the port is not bound. */
  public URI adminUri() {
    if (!hasAdminPort()) {
      throw new IllegalStateException("the admin port is not bound (withoutAdmin())");
    }
    return URI.create("http://" + new BindAddress(adminHost, server.adminPort()));
  }

  /** The node port ({@code /metrics}, {@code /health}), or -1 when it is not bound (default). */
  public int nodePort() {
    return server.nodePort();
  }

  /**
   * An ingress client (typed requests, generated clients) over the ingress port; throws when the
   * port is not bound. For calls without a port, see {@link #request}.
   */
  public Client client() {
    return Client.connect(ingressUri().toString());
  }

  /**
   * Sends one request to the ingress API in-process: what {@code POST/GET <ingress><path>} would
   * answer, with no socket and no HTTP, whether the ingress port is bound or not. The path is the
   * ingress path with its query, e.g. {@code /Greeter/greet}, {@code /Cart/c1/add/send}, {@code
   * /restate/invocation/{id}/attach}.
   *
   * @param headers request headers (e.g. {@code content-type}, {@code idempotency-key})
   * @param body the request body, or null
   */
  public CompletableFuture<IngressResponse> request(
      String method, String path, Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("the ingress path must start with '/': " + path);
    }
    List<Map.Entry<String, String>> h = new ArrayList<>(headers == null ? 1 : headers.size());
    if (headers != null) {
      headers.forEach((k, v) -> h.add(Map.entry(k.toLowerCase(Locale.ROOT), v)));
    }
    return server
        .ingress(
            new HttpRequest(
                method.toUpperCase(Locale.ROOT), path, h, body == null ? new byte[0] : body))
        .thenApply(r -> new IngressResponse(r.status(), r.headers(), r.body()));
  }

  /**
   * {@code POST path} with a JSON body, in-process, waiting for the answer: for example {@code
   * post("/Greeter/greet", "\"Alice\"")} or {@code post("/Cart/c1/add/send", "\"apple\"")}.
   */
  public IngressResponse post(String path, String json) {
    return await(
        request(
            "POST",
            path,
            Map.of("content-type", "application/json"),
            json == null ? null : json.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Registers (or, at the same URI, updates) a remote deployment beside the in-process one, as
   * {@code POST /deployments {"uri": …, "force": true}} does; the admin port need not be bound.
   *
   * @return the deployment id
   */
  public String registerDeployment(URI uri) {
    return await(server.registerDeployment(uri));
  }

  /**
   * Stops the node: the ports first, then the invoker (attempts in flight are cut; they resume on
   * the next start, as after a crash), the log and the store, then the in-process transport.
   */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      local.close();
    }
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = Failures.unwrap(e);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /**
   * Configures an embedded node. Defaults: data in {@code ./resolute-data}, the ingress on {@code
   * 127.0.0.1:8080} and the admin API (and UI) on {@code 127.0.0.1:9070} — Restate's ports, on the
   * loopback interface only, so the {@code restate} CLI and the UI work unchanged on this machine —
   * and no node port (metrics). Everything else as {@code ./resolute-server}'s defaults, or as the
   * {@link #config(ServerConfig)} given.
   */
  public static final class Builder {
    private static final String LOOPBACK = "127.0.0.1";

    private final Endpoint.Builder endpoint = Endpoint.builder();
    private Endpoint built;
    private boolean bound;
    private ServerConfig base = ServerConfig.defaults();
    private Path dataDir = Path.of("resolute-data");
    private Integer partitions;
    private BindAddress ingress = new BindAddress(LOOPBACK, 8080);
    private BindAddress admin = new BindAddress(LOOPBACK, 9070);
    private BindAddress node;
    private String deploymentName = "app";
    private int transportThreads = 2;

    Builder() {}

    /**
     * The data directory, like {@code ./resolute-server --base-dir}: the node keeps its log and
     * store in {@code <dir>/<node name>}, so the standalone server can open it too.
     */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The number of partitions (default as the server: 24). Like the server's, fixed for a data
     * directory once it has data.
     */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Binds the ingress on {@code host:port} (port 0: any free port, see {@link #ingressUri}). */
    public Builder ingress(String host, int port) {
      this.ingress = new BindAddress(host, port);
      return this;
    }

    /** Binds the ingress on {@code 127.0.0.1:port}. */
    public Builder ingressPort(int port) {
      return ingress(LOOPBACK, port);
    }

    /** No ingress port: clients call in-process only ({@link EmbeddedResolute#request}). */
    public Builder withoutIngress() {
      this.ingress = null;
      return this;
    }

    /** Binds the admin API (CLI, UI) on {@code host:port}. */
    public Builder admin(String host, int port) {
      this.admin = new BindAddress(host, port);
      return this;
    }

    /** Binds the admin API on {@code 127.0.0.1:port}. */
    public Builder adminPort(int port) {
      return admin(LOOPBACK, port);
    }

    /** No admin port. */
    public Builder withoutAdmin() {
      this.admin = null;
      return this;
    }

    /**
     * Binds the node port ({@code /metrics}, {@code /health}) on {@code host:port}; default off.
     */
    public Builder node(String host, int port) {
      this.node = new BindAddress(host, port);
      return this;
    }

    /**
     * Everything else (retention, retry policy, invoker limits, log options, node name…) from this
     * configuration, e.g. {@code ConfigLoader}'s result for a TOML file; the data directory, the
     * partitions and the ports set on this builder win.
     */
    public Builder config(ServerConfig config) {
      this.base = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The name of the in-process deployment, the authority of its URI {@code inprocess://<name>/}
     * (default {@code app}). Invocations in flight are bound to it: keep it across restarts.
     */
    public Builder deploymentName(String name) {
      URI u = URI.create("inprocess://" + name + "/");
      if (u.getHost() == null || !name.equals(u.getAuthority())) {
        throw new IllegalArgumentException("not a host name: " + name);
      }
      this.deploymentName = name;
      return this;
    }

    /** Binds a service: an annotated instance or a {@link ServiceDefinition}. */
    public Builder bind(Object service) {
      checkNoEndpoint();
      endpoint.bind(service);
      bound = true;
      return this;
    }

    /** Binds a service and configures its manifest options (see {@link Endpoint.Builder}). */
    public Builder bind(Object service, Consumer<ServiceDefinition.Configurator> configurator) {
      checkNoEndpoint();
      endpoint.bind(service, configurator);
      bound = true;
      return this;
    }

    /** Binds a service whose handlers run as {@code options} say (e.g. on their own executor). */
    public Builder bind(Object service, HandlerRunner.Options options) {
      checkNoEndpoint();
      endpoint.bind(service, options);
      bound = true;
      return this;
    }

    /** The executor handler code runs on (default: a cached pool of daemon threads). */
    public Builder executor(ExecutorService executor) {
      checkNoEndpoint();
      endpoint.executor(executor);
      return this;
    }

    /**
     * Serves an endpoint built elsewhere (its services, executors and request identity check), the
     * one an application also serves over HTTP, instead of services bound here.
     */
    public Builder endpoint(Endpoint endpoint) {
      if (bound) {
        throw new IllegalStateException("services are bound to this builder already");
      }
      this.built = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    private void checkNoEndpoint() {
      if (built != null) {
        throw new IllegalStateException("an endpoint is set: bind its services there");
      }
    }

    /**
     * Starts the node (recovering what the data directory holds: invocations in flight resume) and
     * registers the bound services as the in-process deployment (with none bound, none is
     * registered: a node for remote deployments only).
     *
     * @throws RuntimeException when a port is in use, the data directory is locked by another
     *     process, or the services cannot be registered; nothing is left running then
     */
    public EmbeddedResolute start() {
      ServerConfig c = effectiveConfig();
      Endpoint served = built != null ? built : endpoint.build();
      InProcessDeployments local =
          new InProcessDeployments(deploymentName, served, transportThreads);
      ResoluteServer server;
      try {
        server =
            ResoluteServer.start(
                c,
                new ResoluteServer.Embedding(local, ingress != null, admin != null, node != null));
      } catch (RuntimeException e) {
        local.close();
        throw e;
      }
      try {
        String id =
            served.getServices().isEmpty()
                ? null
                : server
                    .registerDeployment(local.uri())
                    .get(REGISTRATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new EmbeddedResolute(
            server, local, id, c.ingress().bindAddress().host(), c.admin().bindAddress().host());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeBoth(server, local);
        throw new IllegalStateException("interrupted while registering " + local.uri(), e);
      } catch (ExecutionException | TimeoutException e) {
        closeBoth(server, local);
        Throwable cause = e instanceof ExecutionException ? Failures.unwrap(e) : e;
        throw new IllegalStateException(
            "cannot register the in-process deployment " + local.uri() + ": " + cause.getMessage(),
            cause);
      } catch (RuntimeException e) {
        closeBoth(server, local);
        throw e;
      }
    }

    private static void closeBoth(ResoluteServer server, InProcessDeployments local) {
      try {
        server.close();
      } finally {
        local.close();
      }
    }

    ServerConfig effectiveConfig() {
      ServerConfig b = base;
      return new ServerConfig(
          dataDir,
          b.nodeName(),
          b.clusterName(),
          partitions != null ? partitions : b.defaultNumPartitions(),
          b.defaultJournalRetention(),
          b.defaultIdempotencyRetention(),
          b.defaultWorkflowCompletionRetention(),
          b.defaultRetryPolicy(),
          new IngressConfig(
              ingress != null ? ingress : b.ingress().bindAddress(),
              b.ingress().requestSizeLimit(),
              b.ingress().kafkaClusters()),
          new AdminConfig(
              admin != null ? admin : b.admin().bindAddress(), b.admin().disableWebUi()),
          b.worker(),
          b.maxJournalRetention(),
          b.logging(),
          b.resolute(),
          new NodeConfig(
              node != null ? node : b.node().bindAddress(), b.node().disablePrometheus()),
          b.tracing());
    }
  }
}
