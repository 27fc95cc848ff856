package dev.resolute.sdk.endpoint;

import dev.resolute.sdk.auth.signing.RequestIdentityVerifier;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.reflect.GeneratedServices;
import dev.resolute.sdk.internal.reflect.ReflectiveServices;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A set of services served together (one deployment). Bind annotated service instances or
 * {@link ServiceDefinition}s, then serve it with {@code ResoluteHttpServer.listen(endpoint)}.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoint.bind(new Greeter()).bind(cartDefinition).build();
 * }</pre>
 */
public final class Endpoint {
  private final Map<String, ServiceDefinition> services;
  private final ExecutorService executor;
  private final Clock clock;
  private final RequestIdentityVerifier verifier;

  private Endpoint(Map<String, ServiceDefinition> services, ExecutorService executor, Clock clock,
      RequestIdentityVerifier verifier) {
    this.services = Map.copyOf(services);
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

  public static Builder bind(Object service, Consumer<ServiceDefinition> configurator) {
    return builder().bind(service, configurator);
  }

  public Collection<ServiceDefinition> getServices() {
    return services.values();
  }

  public ServiceDefinition getService(String name) {
    return services.get(name);
  }

  /** The executor handler code runs on (one task per invocation attempt; tasks block in await). */
  public ExecutorService executor() {
    return executor;
  }

  /** The clock used for timers and delayed sends. */
  public Clock clock() {
    return clock;
  }

  /** Checks every discovery and invocation request ({@link RequestIdentityVerifier#noop()} by default). */
  public RequestIdentityVerifier requestIdentityVerifier() {
    return verifier;
  }

  public static final class Builder {
    private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();
    private ExecutorService executor;
    private Clock clock = Clock.systemUTC();
    private RequestIdentityVerifier verifier = RequestIdentityVerifier.noop();

    /**
     * Binds a {@link ServiceDefinition} or an instance of a class annotated with @Service/@VirtualObject/@Workflow
     * (through its generated {@code ServiceDefinitionFactory} when the annotation processor ran, else by reflection).
     */
    public Builder bind(Object service) {
      return bind(service, d -> {});
    }

    /** Binds a service and configures its manifest options (and per handler with {@code configureHandler}). */
    public Builder bind(Object service, Consumer<ServiceDefinition> configurator) {
      Objects.requireNonNull(service, "service");
      ServiceDefinition def = service instanceof ServiceDefinition d ? d
          : GeneratedServices.definitionOf(service).orElseGet(() -> ReflectiveServices.definitionOf(service));
      configurator.accept(def);
      if (services.putIfAbsent(def.getServiceName(), def) != null) {
        throw new IllegalArgumentException("service " + def.getServiceName() + " is bound twice");
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
     * Requires requests signed by a trusted server, e.g.
     * {@code RestateRequestIdentityVerifier.fromKeys("publickeyv1_...")}; unsigned or badly signed
     * requests get 401.
     */
    public Builder withRequestIdentityVerifier(RequestIdentityVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier);
      return this;
    }

    public Endpoint build() {
      ExecutorService ex = executor != null ? executor : Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "resolute-handler-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }
      });
      return new Endpoint(services, ex, clock, verifier);
    }
  }
}
