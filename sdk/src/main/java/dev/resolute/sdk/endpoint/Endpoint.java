package dev.resolute.sdk.endpoint;

import dev.resolute.sdk.HandlerRunner;
import dev.resolute.sdk.auth.signing.RequestIdentityVerifier;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.reflect.DeclaredOptions;
import dev.resolute.sdk.internal.reflect.GeneratedServices;
import dev.resolute.sdk.internal.reflect.ReflectiveServices;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A set of services served together (one deployment). Bind annotated service instances or {@link
 * ServiceDefinition}s, then serve it with {@code ResoluteHttpServer.listen(endpoint)}.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoint.bind(new Greeter()).bind(cartDefinition).build();
 * }</pre>
 */
public final class Endpoint {
  private final Map<String, ServiceDefinition> services;
  private final Map<String, Executor> serviceExecutors;
  private final ExecutorService executor;
  private final Clock clock;
  private final RequestIdentityVerifier verifier;

  private Endpoint(
      Map<String, ServiceDefinition> services,
      Map<String, Executor> serviceExecutors,
      ExecutorService executor,
      Clock clock,
      RequestIdentityVerifier verifier) {
    this.services = Map.copyOf(services);
    this.serviceExecutors = Map.copyOf(serviceExecutors);
    this.executor = executor;
    this.clock = clock;
    this.verifier = verifier;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Shortcut for {@code builder().bind(service)}. */
  public static Builder bind(Object service) {
    return builder().bind(service);
  }

  /** Shortcut for {@code builder().bind(service, configurator)}. */
  public static Builder bind(
      Object service, Consumer<ServiceDefinition.Configurator> configurator) {
    return builder().bind(service, configurator);
  }

  /** Shortcut for {@code builder().bind(service, options)}. */
  public static Builder bind(Object service, HandlerRunner.Options options) {
    return builder().bind(service, options);
  }

  /** Shortcut for {@code builder().bind(service, options, configurator)}. */
  public static Builder bind(
      Object service,
      HandlerRunner.Options options,
      Consumer<ServiceDefinition.Configurator> configurator) {
    return builder().bind(service, options, configurator);
  }

  public Collection<ServiceDefinition> getServices() {
    return services.values();
  }

  public ServiceDefinition getService(String name) {
    return services.get(name);
  }

  /** The bound services (Restate's name for {@link #getServices()}). */
  public Stream<ServiceDefinition> getServiceDefinitions() {
    return services.values().stream();
  }

  /** The service of that name, or {@code null} (Restate's name for {@link #getService(String)}). */
  public ServiceDefinition resolveService(String name) {
    return services.get(name);
  }

  /** The request identity verifier (Restate's name for {@link #requestIdentityVerifier()}). */
  public RequestIdentityVerifier getRequestIdentityVerifier() {
    return verifier;
  }

  /** The executor handler code runs on (one task per invocation attempt; tasks block in await). */
  public ExecutorService executor() {
    return executor;
  }

  /**
   * The executor of one service: the one bound with {@link HandlerRunner.Options#withExecutor},
   * else {@link #executor()}.
   */
  public Executor executorFor(String serviceName) {
    return serviceExecutors.getOrDefault(serviceName, executor);
  }

  /** The clock used for timers and delayed sends. */
  public Clock clock() {
    return clock;
  }

  /**
   * Checks every discovery and invocation request ({@link RequestIdentityVerifier#noop()} by
   * default).
   */
  public RequestIdentityVerifier requestIdentityVerifier() {
    return verifier;
  }

  public static final class Builder {
    private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();
    private final Map<String, Executor> serviceExecutors = new LinkedHashMap<>();
    private ExecutorService executor;
    private Clock clock = Clock.systemUTC();
    private RequestIdentityVerifier verifier = RequestIdentityVerifier.noop();

    /**
     * Binds a {@link ServiceDefinition} or an instance of a class annotated
     * with @Service/@VirtualObject/@Workflow (through its generated {@code
     * ServiceDefinitionFactory} when the annotation processor ran, else by reflection).
     */
    public Builder bind(Object service) {
      return bind(service, HandlerRunner.Options.DEFAULT, c -> {});
    }

    /**
     * Binds a service and configures its manifest options, per handler with {@code
     * configureHandler}: {@code bind(new Signup(), conf -> conf.configureHandler("run", h ->
     * h.inactivityTimeout(Duration.ofMinutes(5))))}.
     */
    public Builder bind(Object service, Consumer<ServiceDefinition.Configurator> configurator) {
      return bind(service, HandlerRunner.Options.DEFAULT, configurator);
    }

    /** Binds a service whose handlers run as {@code options} say (e.g. on their own executor). */
    public Builder bind(Object service, HandlerRunner.Options options) {
      return bind(service, options, c -> {});
    }

    public Builder bind(
        Object service,
        HandlerRunner.Options options,
        Consumer<ServiceDefinition.Configurator> configurator) {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(options, "options");
      ServiceDefinition def;
      if (service instanceof ServiceDefinition d) {
        def = d;
      } else {
        def =
            GeneratedServices.definitionOf(service)
                .orElseGet(() -> ReflectiveServices.definitionOf(service));
        DeclaredOptions.apply(def, service);
      }
      def.configure(configurator);
      if (services.putIfAbsent(def.getServiceName(), def) != null) {
        throw new IllegalArgumentException("service " + def.getServiceName() + " is bound twice");
      }
      if (options.executor() != null) {
        serviceExecutors.put(def.getServiceName(), options.executor());
      }
      return this;
    }

    /** The executor for handler code (default: a cached pool of daemon threads). */
    public Builder executor(ExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /** The clock for timers and delayed sends (tests use a fixed clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Requires requests signed by a trusted server, e.g. {@code
     * RestateRequestIdentityVerifier.fromKeys("publickeyv1_...")}; unsigned or badly signed
     * requests get 401.
     */
    public Builder withRequestIdentityVerifier(RequestIdentityVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier);
      return this;
    }

    public Endpoint build() {
      ExecutorService ex =
          executor != null
              ? executor
              : Executors.newCachedThreadPool(
                  new ThreadFactory() {
                    private final AtomicInteger n = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable r) {
                      Thread t = new Thread(r, "resolute-handler-" + n.incrementAndGet());
                      t.setDaemon(true);
                      return t;
                    }
                  });
      return new Endpoint(services, serviceExecutors, ex, clock, verifier);
    }
  }
}
