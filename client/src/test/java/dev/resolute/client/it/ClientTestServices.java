package dev.resolute.client.it;

import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.sdk.Awakeable;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.SharedWorkflowContext;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.annotation.Workflow;
import dev.resolute.sdk.common.DurablePromiseKey;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.serde.TypeTag;
import java.time.Duration;

/** Services the client ITs talk to (bound reflectively, served by the Resolute SDK). */
final class ClientTestServices {
  private ClientTestServices() {}

  public record Greeting(String name, int times) {}

  @Service
  public static class Echo {
    @Handler
    public String echo(Context ctx, String in) {
      return in;
    }

    @Handler
    public Greeting greet(Context ctx, Greeting g) {
      return new Greeting("Hello " + g.name(), g.times() + 1);
    }

    /** The value of request header {@code x-test}, or "none". */
    @Handler
    public String header(Context ctx) {
      return ctx.request().headers().getOrDefault("x-test", "none");
    }

    @Handler
    public String fail(Context ctx, String message) {
      throw new TerminalException(418, message);
    }

    @Handler
    public void noop(Context ctx) {}

    @Handler
    public String sleepy(Context ctx, Long millis) {
      ctx.sleep(Duration.ofMillis(millis));
      return "slept " + millis;
    }

    /**
     * Creates an awakeable, publishes its id to {@code Box/{key}}, then returns what it is
     * completed with.
     */
    @Handler
    public String waitForAwakeable(Context ctx, String boxKey) {
      Awakeable<String> a = ctx.awakeable(String.class);
      ctx.send(
          Request.of(
              Target.virtualObject("Box", boxKey, "put"),
              TypeTag.of(String.class),
              TypeTag.of(Void.class),
              a.id()));
      return "got " + a.await();
    }
  }

  @VirtualObject
  public static class Box {
    static final StateKey<String> VALUE = StateKey.of("value", String.class);

    @Handler
    public void put(ObjectContext ctx, String v) {
      ctx.set(VALUE, v);
    }

    @Shared
    public String get(SharedObjectContext ctx) {
      return ctx.get(VALUE).orElse(null);
    }

    @Handler
    public int incr(ObjectContext ctx) {
      int n = Integer.parseInt(ctx.get(VALUE).orElse("0")) + 1;
      ctx.set(VALUE, Integer.toString(n));
      return n;
    }
  }

  @Workflow
  public static class Approval {
    static final DurablePromiseKey<String> DECISION =
        DurablePromiseKey.of("decision", String.class);

    @Workflow
    public String run(WorkflowContext ctx, String subject) {
      return subject + ": " + ctx.promise(DECISION).future().await();
    }

    @Shared
    public void decide(SharedWorkflowContext ctx, String decision) {
      ctx.promiseHandle(DECISION).resolve(decision);
    }
  }
}
