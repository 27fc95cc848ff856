package dev.resolute.sdk.endpoint.definition;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.SharedWorkflowContext;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.serde.Serde;
import dev.resolute.serde.SerdeFactory;
import dev.resolute.serde.TypeTag;
import dev.resolute.serde.jackson.JacksonSerdeFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A service: name, kind, handlers and manifest options. Build one without annotations:
 *
 * <pre>{@code
 * ServiceDefinition greeter = ServiceDefinition.service("Greeter")
 *     .handler("greet", String.class, String.class, (ctx, name) -> "Hello " + name)
 *     .build();
 * }</pre>
 */
public final class ServiceDefinition extends DefinitionOptions {
  private static final Pattern SERVICE_NAME =
      Pattern.compile("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$");
  private static final Pattern HANDLER_NAME =
      Pattern.compile("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$");

  private final String name;
  private final ServiceType type;
  private final Map<String, HandlerDefinition<?, ?>> handlers;
  private final SerdeFactory serdeFactory;

  private ServiceDefinition(
      String name,
      ServiceType type,
      Map<String, HandlerDefinition<?, ?>> handlers,
      SerdeFactory serdeFactory) {
    if (!SERVICE_NAME.matcher(name).matches()
        || name.toLowerCase().startsWith("restate")
        || name.equals("openapi")) {
      throw new IllegalArgumentException("invalid or reserved service name '" + name + "'");
    }
    for (HandlerDefinition<?, ?> h : handlers.values()) {
      if (!HANDLER_NAME.matcher(h.getName()).matches()) {
        throw new IllegalArgumentException(
            "invalid handler name '" + h.getName() + "' in service " + name);
      }
      boolean ok =
          switch (type) {
            case SERVICE -> h.getHandlerType() == HandlerType.SHARED;
            case VIRTUAL_OBJECT -> h.getHandlerType() != HandlerType.WORKFLOW;
            case WORKFLOW -> h.getHandlerType() != HandlerType.EXCLUSIVE;
          };
      if (!ok) {
        throw new IllegalArgumentException(
            "a "
                + type
                + " cannot have a "
                + h.getHandlerType()
                + " handler ("
                + h.getName()
                + ")");
      }
    }
    if (type == ServiceType.WORKFLOW
        && handlers.values().stream()
                .filter(h -> h.getHandlerType() == HandlerType.WORKFLOW)
                .count()
            != 1) {
      throw new IllegalArgumentException(
          "workflow " + name + " must have exactly one workflow handler");
    }
    this.name = name;
    this.type = type;
    this.handlers = Map.copyOf(handlers);
    this.serdeFactory = Objects.requireNonNull(serdeFactory, "serdeFactory");
  }

  public static ServiceDefinition of(
      String name, ServiceType type, Collection<HandlerDefinition<?, ?>> handlers) {
    return of(name, type, handlers, JacksonSerdeFactory.DEFAULT);
  }

  /**
   * With the serde factory that context operations ({@code run}, state, calls…) use for
   * Class/TypeRef tags.
   */
  public static ServiceDefinition of(
      String name,
      ServiceType type,
      Collection<HandlerDefinition<?, ?>> handlers,
      SerdeFactory serdeFactory) {
    Map<String, HandlerDefinition<?, ?>> m = new LinkedHashMap<>();
    for (HandlerDefinition<?, ?> h : handlers) {
      if (m.put(h.getName(), h) != null) {
        throw new IllegalArgumentException(
            "duplicate handler " + h.getName() + " in service " + name);
      }
    }
    return new ServiceDefinition(name, type, m, serdeFactory);
  }

  public String getServiceName() {
    return name;
  }

  public ServiceType getServiceType() {
    return type;
  }

  public Collection<HandlerDefinition<?, ?>> getHandlers() {
    return handlers.values();
  }

  public HandlerDefinition<?, ?> getHandler(String name) {
    return handlers.get(name);
  }

  /** The serde factory of this service (handler context operations use it). */
  public SerdeFactory getSerdeFactory() {
    return serdeFactory;
  }

  /**
   * Changes the options of this service and its handlers (the definition is mutable until it is
   * bound) and returns it: {@code def.configure(c -> c.ingressPrivate(true).configureHandler("run",
   * h -> h.inactivityTimeout(Duration.ofMinutes(5))))}.
   */
  public ServiceDefinition configure(Consumer<Configurator> configurator) {
    configurator.accept(new Configurator(this));
    return this;
  }

  /**
   * The service options as Restate's Java SDK names them (what {@code Endpoint.bind(service, conf
   * -> ...)} hands out). Each is advertised in the discovery manifest when the negotiated version
   * has it (V2: documentation, metadata; V3: timeouts, retentions, lazy state, ingress-private; V4:
   * retry policy); unset means the server default.
   */
  public static final class Configurator extends OptionsConfigurator<Configurator> {
    private final ServiceDefinition service;

    Configurator(ServiceDefinition service) {
      super(service.options);
      this.service = service;
    }

    /** The workflow retention of the workflow's main handler (workflows only). */
    public Duration workflowRetention() {
      return mainHandler() == null ? null : mainHandler().options().workflowRetention;
    }

    /**
     * Sets the workflow retention on the workflow's main handler (the manifest carries it per
     * handler).
     */
    public Configurator workflowRetention(Duration d) {
      HandlerDefinition<?, ?> main = mainHandler();
      if (main == null) {
        throw new IllegalArgumentException(
            "workflowRetention applies to workflows, not " + service.name);
      }
      main.options().workflowRetention = d;
      return this;
    }

    private HandlerDefinition<?, ?> mainHandler() {
      return service.handlers.values().stream()
          .filter(h -> h.getHandlerType() == HandlerType.WORKFLOW)
          .findFirst()
          .orElse(null);
    }

    /** Configures one handler. */
    public Configurator configureHandler(
        String handler, Consumer<HandlerDefinition.Configurator> configurator) {
      HandlerDefinition<?, ?> h = service.handlers.get(handler);
      if (h == null) {
        throw new IllegalArgumentException("no handler " + handler + " in service " + service.name);
      }
      h.configure(configurator);
      return this;
    }
  }

  public static Builder<Context, Context, Context> service(String name) {
    return new Builder<>(name, ServiceType.SERVICE);
  }

  public static Builder<Context, ObjectContext, SharedObjectContext> virtualObject(String name) {
    return new Builder<>(name, ServiceType.VIRTUAL_OBJECT);
  }

  public static Builder<WorkflowContext, Context, SharedWorkflowContext> workflow(String name) {
    return new Builder<>(name, ServiceType.WORKFLOW);
  }

  /**
   * Builder of a service definition. {@code W} is the context of the workflow main handler, {@code
   * E} of exclusive/plain handlers, {@code S} of shared handlers.
   */
  public static final class Builder<W, E, S> {
    private final String name;
    private final ServiceType type;
    private final Map<String, HandlerDefinition<?, ?>> handlers = new LinkedHashMap<>();
    private SerdeFactory serdeFactory = JacksonSerdeFactory.DEFAULT;

    private Builder(String name, ServiceType type) {
      this.name = Objects.requireNonNull(name);
      this.type = type;
    }

    /**
     * The serde factory for the Class/TypeTag overloads added after this call (default: Jackson).
     */
    public Builder<W, E, S> serdeFactory(SerdeFactory factory) {
      this.serdeFactory = Objects.requireNonNull(factory);
      return this;
    }

    /** A plain-service handler, or an exclusive handler of a virtual object. */
    public <I, O> Builder<W, E, S> handler(
        String handler, TypeTag<I> in, TypeTag<O> out, HandlerFunction<E, I, O> fn) {
      if (type == ServiceType.WORKFLOW) {
        throw new IllegalStateException("workflows have workflow(...) and shared(...) handlers");
      }
      HandlerType ht = type == ServiceType.SERVICE ? HandlerType.SHARED : HandlerType.EXCLUSIVE;
      return add(handler, ht, in, out, fn);
    }

    public <I, O> Builder<W, E, S> handler(
        String handler, Class<I> in, Class<O> out, HandlerFunction<E, I, O> fn) {
      return handler(handler, TypeTag.of(in), TypeTag.of(out), fn);
    }

    /** A shared handler of a virtual object or workflow. */
    public <I, O> Builder<W, E, S> shared(
        String handler, TypeTag<I> in, TypeTag<O> out, HandlerFunction<S, I, O> fn) {
      if (type == ServiceType.SERVICE) {
        throw new IllegalStateException("plain services have handler(...) handlers");
      }
      return add(handler, HandlerType.SHARED, in, out, fn);
    }

    public <I, O> Builder<W, E, S> shared(
        String handler, Class<I> in, Class<O> out, HandlerFunction<S, I, O> fn) {
      return shared(handler, TypeTag.of(in), TypeTag.of(out), fn);
    }

    /** The main handler of a workflow. */
    public <I, O> Builder<W, E, S> workflow(
        String handler, TypeTag<I> in, TypeTag<O> out, HandlerFunction<W, I, O> fn) {
      if (type != ServiceType.WORKFLOW) {
        throw new IllegalStateException("only workflows have a workflow handler");
      }
      return add(handler, HandlerType.WORKFLOW, in, out, fn);
    }

    public <I, O> Builder<W, E, S> workflow(
        String handler, Class<I> in, Class<O> out, HandlerFunction<W, I, O> fn) {
      return workflow(handler, TypeTag.of(in), TypeTag.of(out), fn);
    }

    /** Adds a handler definition as it is. */
    public Builder<W, E, S> handler(HandlerDefinition<?, ?> definition) {
      if (handlers.put(definition.getName(), definition) != null) {
        throw new IllegalArgumentException("duplicate handler " + definition.getName());
      }
      return this;
    }

    @SuppressWarnings("unchecked")
    private <C, I, O> Builder<W, E, S> add(
        String handler,
        HandlerType ht,
        TypeTag<I> in,
        TypeTag<O> out,
        HandlerFunction<C, I, O> fn) {
      Serde<I> inSerde = serdeFactory.create(in);
      Serde<O> outSerde = serdeFactory.create(out);
      return handler(
          HandlerDefinition.of(
              handler, ht, inSerde, outSerde, (ctx, input) -> fn.apply((C) ctx, input)));
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(name, type, handlers, serdeFactory);
    }
  }
}
