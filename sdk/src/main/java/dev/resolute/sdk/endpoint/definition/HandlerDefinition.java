package dev.resolute.sdk.endpoint.definition;

import dev.resolute.sdk.Context;
import dev.resolute.serde.Serde;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** One handler: name, kind, input/output serdes, the code, and manifest options. */
public final class HandlerDefinition<I, O> extends DefinitionOptions {
  private final String name;
  private final HandlerType type;
  private final Serde<I> inputSerde;
  private final Serde<O> outputSerde;
  private final HandlerFunction<Context, I, O> function;
  private String acceptContentType;

  private HandlerDefinition(
      String name,
      HandlerType type,
      Serde<I> inputSerde,
      Serde<O> outputSerde,
      HandlerFunction<Context, I, O> function,
      String acceptContentType) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.inputSerde = Objects.requireNonNull(inputSerde, "inputSerde");
    this.outputSerde = Objects.requireNonNull(outputSerde, "outputSerde");
    this.function = Objects.requireNonNull(function, "function");
    this.acceptContentType = acceptContentType;
  }

  /**
   * A handler whose function receives the context as {@link Context}; it may cast it to the context
   * type of its kind (ObjectContext for EXCLUSIVE, etc.).
   */
  public static <I, O> HandlerDefinition<I, O> of(
      String name,
      HandlerType type,
      Serde<I> inputSerde,
      Serde<O> outputSerde,
      HandlerFunction<Context, I, O> function) {
    return new HandlerDefinition<>(name, type, inputSerde, outputSerde, function, null);
  }

  /** The same handler accepting the given input content type (e.g. {@code "*}{@code /*"}). */
  public HandlerDefinition<I, O> withAcceptContentType(String contentType) {
    HandlerDefinition<I, O> d =
        new HandlerDefinition<>(name, type, inputSerde, outputSerde, function, contentType);
    d.options.documentation = options.documentation;
    d.options.ratePerSecond = options.ratePerSecond;
    d.options.rateBurst = options.rateBurst;
    d.options.schedules.addAll(options.schedules);
    return d;
  }

  public String getName() {
    return name;
  }

  public HandlerType getHandlerType() {
    return type;
  }

  public Serde<I> getInputSerde() {
    return inputSerde;
  }

  public Serde<O> getOutputSerde() {
    return outputSerde;
  }

  public HandlerFunction<Context, I, O> getFunction() {
    return function;
  }

  /** The accepted input content type; {@code null}: the input serde's content type. */
  public String getAcceptContentType() {
    return acceptContentType;
  }

  public Serde<I> getRequestSerde() {
    return inputSerde;
  }

  public Serde<O> getResponseSerde() {
    return outputSerde;
  }

  public Duration getWorkflowRetention() {
    return options.workflowRetention;
  }

  /**
   * Changes this handler's options (the definition is mutable until it is bound) and returns it.
   */
  public HandlerDefinition<I, O> configure(Consumer<Configurator> configurator) {
    configurator.accept(new Configurator(this));
    return this;
  }

  /**
   * The handler options under Restate's configurator names (see {@code
   * ServiceDefinition.Configurator}).
   */
  public static final class Configurator extends OptionsConfigurator<Configurator> {
    private final HandlerDefinition<?, ?> handler;

    Configurator(HandlerDefinition<?, ?> handler) {
      super(handler.options);
      this.handler = handler;
    }

    public String acceptContentType() {
      return handler.acceptContentType;
    }

    public Configurator acceptContentType(String contentType) {
      handler.acceptContentType = contentType;
      return this;
    }

    public Duration workflowRetention() {
      return o.workflowRetention;
    }

    /** The cron schedules declared for this handler (Resolute's extension). */
    public java.util.List<ScheduleDefinition> schedules() {
      return java.util.List.copyOf(o.schedules);
    }

    /**
     * Resolute's extension: the Resolute server invokes this handler on every firing of {@code
     * schedule}, from the deployment's registration until the declaration goes away.
     */
    public Configurator schedule(ScheduleDefinition schedule) {
      o.schedule(schedule);
      return this;
    }

    /** Workflow main handler only. */
    public Configurator workflowRetention(Duration d) {
      if (d != null && handler.type != HandlerType.WORKFLOW) {
        throw new IllegalArgumentException(
            "workflowRetention applies to a workflow's main handler, not " + handler.name);
      }
      o.workflowRetention = d;
      return this;
    }
  }
}
