package dev.resolute.sdk.it;

import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.sdk.Awakeable;
import dev.resolute.sdk.CallDurableFuture;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.DurableFuture;
import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.Select;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.SharedWorkflowContext;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Name;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.common.DurablePromiseKey;
import dev.resolute.sdk.common.RetryPolicy;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.serde.TypeRef;
import dev.resolute.serde.TypeTag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The services the integration tests deploy: annotated classes and builder-defined ones. */
public final class ExampleServices {
  private ExampleServices() {}

  static final AtomicInteger RUN_FAILURES = new AtomicInteger();
  static final AtomicInteger HANDLER_FAILURES = new AtomicInteger();
  static final java.util.Queue<String> RETRIER_THREADS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Service
  public static class Greeter {
    @Handler
    public String greet(Context ctx, String name) {
      return "Hello " + name;
    }

    @Handler
    public String runs(Context ctx, String name) {
      String a = ctx.run("a", String.class, () -> "1");
      String b = ctx.run("b", String.class, () -> a + "2");
      String c = ctx.run("c", String.class, () -> b + "3");
      return name + ":" + c;
    }

    @Handler
    public String sleepy(Context ctx) {
      long before = System.currentTimeMillis();
      ctx.sleep(Duration.ofMillis(500));
      return "slept " + (System.currentTimeMillis() - before >= 0);
    }

    @Handler
    public String callOthers(Context ctx, String name) {
      String greeting =
          ctx.call(
                  Request.of(
                      Target.service("Greeter", "greet"),
                      TypeTag.of(String.class),
                      TypeTag.of(String.class),
                      name))
              .await();
      ctx.send(
          Request.of(
              Target.virtualObject("Cart", "sent-" + name, "add"),
              TypeTag.of(String.class),
              TypeTag.of(Void.class),
              "from-send"));
      return greeting + "!";
    }

    @Handler
    public String terminal(Context ctx, String msg) {
      throw new TerminalException(418, "no coffee: " + msg);
    }

    @Handler
    public String flakyRun(Context ctx, String key) {
      return ctx.run(
          "flaky",
          String.class,
          RetryPolicy.fixedDelay(Duration.ofMillis(50)).setMaxAttempts(10),
          () -> {
            if (RUN_FAILURES.incrementAndGet() < 3) {
              throw new IllegalStateException("transient failure #" + RUN_FAILURES.get());
            }
            return "ok after " + RUN_FAILURES.get();
          });
    }

    @Handler
    public String flakyHandler(Context ctx, String key) {
      if (HANDLER_FAILURES.incrementAndGet() < 2) {
        throw new IllegalStateException("handler failure");
      }
      return "handler ok";
    }

    @Handler
    public String runExhausted(Context ctx) {
      try {
        ctx.run(
            "never",
            RetryPolicy.fixedDelay(Duration.ofMillis(10)).setMaxAttempts(2),
            () -> {
              throw new IllegalStateException("always");
            });
        return "unexpected";
      } catch (TerminalException e) {
        return "gave up: " + e.getCode();
      }
    }

    @Handler
    public String sleepLong(Context ctx) {
      try {
        ctx.sleep(Duration.ofSeconds(60));
        return "not cancelled";
      } catch (TerminalException e) {
        String compensated = ctx.run("compensate", String.class, () -> "compensated");
        throw new TerminalException(e.getCode(), e.getMessage() + " and " + compensated);
      }
    }

    @Handler
    public String waitAwakeable(Context ctx, String holderKey) {
      Awakeable<String> a = ctx.awakeable(String.class);
      ctx.send(
          Request.of(
              Target.virtualObject("Cart", holderKey, "add"),
              TypeTag.of(String.class),
              TypeTag.of(Void.class),
              a.id()));
      return "awoken with " + a.await();
    }
  }

  static final StateKey<List<String>> ITEMS = StateKey.of("items", new TypeRef<List<String>>() {});

  @VirtualObject
  @Name("Cart")
  public static class CartObject {
    @Handler
    public void add(ObjectContext ctx, String item) {
      List<String> items = ctx.get(ITEMS).orElseGet(ArrayList::new);
      items.add(item);
      ctx.set(ITEMS, items);
    }

    @Shared
    public List<String> get(SharedObjectContext ctx) {
      return ctx.get(ITEMS).orElse(List.of());
    }

    @Handler
    public int checkout(ObjectContext ctx) {
      int n = ctx.get(ITEMS).map(List::size).orElse(0);
      ctx.clear(ITEMS);
      return n;
    }

    @Handler
    public List<String> keys(ObjectContext ctx) {
      return new ArrayList<>(ctx.stateKeys());
    }
  }

  static final DurablePromiseKey<String> LINK = DurablePromiseKey.of("link", String.class);

  /** A workflow defined with the builder API (no annotations). */
  public static ServiceDefinition signupWorkflow() {
    return ServiceDefinition.workflow("Signup")
        .workflow(
            "run",
            String.class,
            String.class,
            (WorkflowContext ctx, String email) -> {
              ctx.set(StateKey.of("email", String.class), email);
              DurableFuture<String> clicked = ctx.promise(LINK).future();
              DurableFuture<Void> timeout = ctx.timer(Duration.ofSeconds(30));
              return Select.<String>select()
                  .when(clicked, v -> "verified " + email + " with " + v)
                  .when(timeout, v -> "timed out")
                  .await();
            })
        .shared(
            "click",
            String.class,
            String.class,
            (SharedWorkflowContext ctx, String secret) -> {
              ctx.promiseHandle(LINK).resolve(secret);
              return "clicked";
            })
        .shared(
            "email",
            Void.class,
            String.class,
            (SharedWorkflowContext ctx, Void v) ->
                ctx.get(StateKey.of("email", String.class)).orElse("?"))
        .build();
  }

  /**
   * A service whose handler always fails with a retryable error (bound with an invocation retry
   * policy).
   */
  public static ServiceDefinition retrier() {
    return ServiceDefinition.service("Retrier")
        .handler(
            "alwaysFails",
            Void.class,
            String.class,
            (Context ctx, Void v) -> {
              RETRIER_THREADS.add(Thread.currentThread().getName());
              throw new IllegalStateException("always fails");
            })
        .build();
  }

  /** A service using the call future's invocation id, a mapped failure and a select as a future. */
  public static ServiceDefinition futures() {
    return ServiceDefinition.service("Futures")
        .handler(
            "callId",
            String.class,
            String.class,
            (Context ctx, String name) -> {
              CallDurableFuture<String> f =
                  ctx.call(
                      Request.of(
                          Target.service("Greeter", "greet"),
                          TypeTag.of(String.class),
                          TypeTag.of(String.class),
                          name));
              String id = f.invocationId();
              return id.startsWith("inv_") + ":" + f.await();
            })
        .handler(
            "mappedFailure",
            String.class,
            String.class,
            (Context ctx, String msg) ->
                ctx.call(
                        Request.of(
                            Target.service("Greeter", "terminal"),
                            TypeTag.of(String.class),
                            TypeTag.of(String.class),
                            msg))
                    .map(ok -> "ok " + ok, e -> "caught " + e.getCode() + " " + e.getMessage())
                    .await())
        .handler(
            "selectTimeout",
            Void.class,
            String.class,
            (Context ctx, Void v) -> {
              try {
                return Select.<String>select()
                    .or(ctx.awakeable(String.class))
                    .await(Duration.ofMillis(200));
              } catch (dev.resolute.sdk.common.TimeoutException e) {
                return "timed out " + e.getCode();
              }
            })
        .build();
  }
}
