package dev.resolute.server.tracing;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Name;
import dev.restate.sdk.annotation.Service;
import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployment of {@link TracingIT}, with the official Restate Java SDK 2.4.0 in the test's JVM:
 * {@code TraceFront/process} runs a step, sleeps and calls {@code TraceBack/echo}. Each handler
 * records the span id of the {@code traceparent} the SDK read from the invocation request (its
 * parent span), so the test can check it is the attempt's span.
 */
final class TracedServices {
  private TracedServices() {}

  /** Handler name → span id of the parent the SDK saw (hex; all zero when none). */
  static final Map<String, String> SEEN_PARENT = new ConcurrentHashMap<>();

  static void seen(Context ctx, String handler) {
    SEEN_PARENT.put(
        handler,
        io.opentelemetry.api.trace.Span.fromContext(ctx.request().openTelemetryContext())
            .getSpanContext()
            .getSpanId());
  }

  @Service
  @Name("TraceFront")
  public static class TraceFront {
    @Handler
    public String process(Context ctx, String name) {
      seen(ctx, "process");
      String step = ctx.run("step", String.class, () -> "s-" + name);
      ctx.sleep(Duration.ofMillis(10));
      return TracedServicesTraceBackClient.fromContext(ctx).echo(step).await();
    }
  }

  @Service
  @Name("TraceBack")
  public static class TraceBack {
    @Handler
    public String echo(Context ctx, String s) {
      seen(ctx, "echo");
      return "echo " + s;
    }
  }

  /** Serves both services on a free port; returns it. */
  static int listen() {
    Endpoint endpoint =
        Endpoint.builder()
            .bind(new TraceFront())
            .bind(new TraceBack())
            // W3C propagation only (no SDK): the SDK reads traceparent from the request
            .withOpenTelemetry(
                OpenTelemetry.propagating(
                    ContextPropagators.create(W3CTraceContextPropagator.getInstance())))
            .build();
    return RestateHttpServer.listen(endpoint, 0);
  }
}
