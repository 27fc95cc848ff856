package dev.resolute.server.ingress;

import dev.restate.sdk.Context;
import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.SharedWorkflowContext;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.annotation.Workflow;
import dev.restate.sdk.common.DurablePromiseKey;
import dev.restate.sdk.common.StateKey;
import dev.restate.sdk.common.TerminalException;
import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;

/**
 * Services written with the official Restate Java SDK 2.4.0, used to record the real restate-server
 * 1.7.12 ingress behaviour that {@link IngressApiTest} asserts. Run {@link #main} with a port,
 * register it with the real server, then curl the ingress.
 */
public final class CaptureServices {
  private CaptureServices() {}

  @Service
  public static class Greeter {
    @Handler
    public String greet(Context ctx, String name) {
      return "Hello " + name;
    }

    @Handler
    public String fail(Context ctx, String name) {
      throw new TerminalException(409, "boom");
    }

    @Handler
    public String headers(Context ctx) {
      return ctx.request().headers().toString();
    }
  }

  @VirtualObject
  public static class Counter {
    private static final StateKey<Long> COUNT = StateKey.of("count", Long.class);

    @Handler
    public long add(ObjectContext ctx, long delta) {
      long v = ctx.get(COUNT).orElse(0L) + delta;
      ctx.set(COUNT, v);
      return v;
    }
  }

  @Workflow
  public static class Wf {
    private static final DurablePromiseKey<String> P = DurablePromiseKey.of("p", String.class);

    @Workflow
    public String run(WorkflowContext ctx, String in) {
      return in + ":" + ctx.promise(P).future().await();
    }

    @Shared
    public void signal(SharedWorkflowContext ctx, String v) {
      ctx.promiseHandle(P).resolve(v);
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    RestateHttpServer.listen(Endpoint.bind(new Greeter()).bind(new Counter()).bind(new Wf()), port);
  }
}
