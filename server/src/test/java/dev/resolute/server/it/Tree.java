package dev.resolute.server.it;

import dev.restate.common.Output;
import dev.restate.common.Request;
import dev.restate.common.Target;
import dev.restate.sdk.Awakeable;
import dev.restate.sdk.Context;
import dev.restate.sdk.DurableFuture;
import dev.restate.sdk.InvocationHandle;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import dev.restate.sdk.common.TerminalException;
import dev.restate.serde.TypeTag;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain service written with the official Restate Java SDK 2.4.0: awakeables, call trees for
 * cancel/kill, attach/output from handlers, call timeouts, idempotent calls, random seeds, retries.
 */
@Service
public class Tree {
  /** Awaits an awakeable whose id is published under {@code awk-<tag>}. */
  @Handler
  public String awaitAwakeable(Context ctx, String tag) {
    Awakeable<String> a = ctx.awakeable(String.class);
    ctx.run("publish", () -> TestServices.publish("awk-" + tag, a.id()));
    return "got " + a.await();
  }

  // input: awakeable id, "|", value; a value starting with "!" rejects with the rest
  @Handler
  public String completeAwakeable(Context ctx, String idAndValue) {
    int i = idAndValue.indexOf("|");
    String id = idAndValue.substring(0, i);
    String v = idAndValue.substring(i + 1);
    if (v.startsWith("!")) {
      ctx.awakeableHandle(id).reject(v.substring(1));
    } else {
      ctx.awakeableHandle(id).resolve(String.class, v);
    }
    return "done";
  }

  /**
   * Awaits an awakeable published under {@code awk-<tag>}; registered with an inactivity timeout of
   * 500ms, so the invocation suspends while it waits. Marks a cancellation it sees.
   */
  @Handler
  public String suspends(Context ctx, String tag) {
    Awakeable<String> a = ctx.awakeable(String.class);
    ctx.run("publish", () -> TestServices.publish("awk-" + tag, a.id()));
    try {
      return "got " + a.await();
    } catch (TerminalException e) {
      ctx.run("cancelled", () -> TestServices.mark("suspends-cancelled-" + tag));
      throw e;
    }
  }

  /**
   * Input: object key, a slash, an item; calls Counter/{key}/append with the item and awaits it.
   */
  @Handler
  public String callAppend(Context ctx, String keyAndItem) {
    int i = keyAndItem.indexOf('/');
    DurableFuture<String> appended =
        CounterClient.fromContext(ctx, keyAndItem.substring(0, i))
            .append(keyAndItem.substring(i + 1));
    // acknowledged after the call command was journaled: from the marker on, the callee's
    // invocation exists and
    // heads for the locked key's inbox ahead of anything the caller's partition sends later (a
    // cancel)
    ctx.run("calling", () -> {});
    TestServices.mark("calling-" + keyAndItem.substring(0, i));
    return "appended " + appended.await();
  }

  /** Calls ShortFlow/{key}/run twice and sends it once more; reports what each one saw. */
  @Handler
  public String runWorkflowTwice(Context ctx, String key) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      try {
        out.append(ShortFlowClient.fromContext(ctx, key).run(key).await());
      } catch (TerminalException e) {
        out.append("failed ").append(e.getCode()).append(' ').append(e.getMessage());
      }
      out.append('|');
    }
    InvocationHandle<String> h = ShortFlowClient.fromContext(ctx, key).send().run(key);
    try {
      out.append("send attach ").append(h.attach().await());
    } catch (TerminalException e) {
      out.append("send attach failed ").append(e.getCode()).append(' ').append(e.getMessage());
    }
    return out.toString();
  }

  /** Calls the ingress-private handler Greeter/secret. */
  @Handler
  public String callSecret(Context ctx, String name) {
    return "via handler: " + GreeterClient.fromContext(ctx).secret(name).await();
  }

  /** Sends a detached child, calls another child and awaits it; compensates when that fails. */
  @Handler
  public String parent(Context ctx, String tag) {
    TreeClient.fromContext(ctx).send().child(tag + "-detached");
    try {
      return "parent got " + TreeClient.fromContext(ctx).child(tag + "-called").await();
    } catch (TerminalException e) {
      ctx.run("compensate", () -> TestServices.mark("compensated-" + tag));
      throw e;
    }
  }

  /**
   * Marks its start (and publishes its invocation id), sleeps 4s, marks its end; marks a
   * cancellation it sees.
   */
  @Handler
  public String child(Context ctx, String tag) {
    String me = ctx.request().invocationId().toString();
    ctx.run(
        "start",
        () -> {
          TestServices.publish("child-id-" + tag, me);
          TestServices.mark("child-started-" + tag);
        });
    try {
      ctx.sleep(Duration.ofSeconds(4));
    } catch (TerminalException e) {
      ctx.run("cancelled", () -> TestServices.mark("child-cancelled-" + tag));
      throw e;
    }
    ctx.run("done", () -> TestServices.mark("child-done-" + tag));
    return "child " + tag;
  }

  /**
   * Input: object key, a slash, a count; sends that many appends h-0, h-1 ... to that Counter key,
   * in order.
   */
  @Handler
  public String sendAppends(Context ctx, String keyAndCount) {
    int i = keyAndCount.indexOf('/');
    String key = keyAndCount.substring(0, i);
    int n = Integer.parseInt(keyAndCount.substring(i + 1));
    for (int k = 0; k < n; k++) {
      CounterClient.fromContext(ctx, key).send().append("h-" + k);
    }
    return "sent " + n;
  }

  /** Calls a child with a timeout of 300ms. */
  @Handler
  public String callWithTimeout(Context ctx, String tag) {
    try {
      return TreeClient.fromContext(ctx).child(tag).await(Duration.ofMillis(300));
    } catch (TerminalException e) {
      return "timeout " + e.getCode();
    }
  }

  @Handler
  public String attachTo(Context ctx, String invocationId) {
    return "attached:" + ctx.invocationHandle(invocationId, String.class).attach().await();
  }

  @Handler
  public String outputOf(Context ctx, String invocationId) {
    Output<String> o = ctx.invocationHandle(invocationId, String.class).getOutput();
    return o.isReady() ? "ready:" + o.getValue() : "not ready";
  }

  /** Calls Greeter/count twice with the same idempotency key and sends once more with it. */
  @Handler
  public String idempotentCalls(Context ctx, String key) {
    Request<String, String> req =
        Request.of(
                Target.service("Greeter", "count"),
                TypeTag.of(String.class),
                TypeTag.of(String.class),
                key)
            .idempotencyKey("ik-" + key)
            .build();
    String a = ctx.call(req).await();
    String b = ctx.call(req).await();
    InvocationHandle<String> h = ctx.send(req);
    return a + "|" + b + "|" + h.attach().await() + "|" + h.invocationId();
  }

  /** The random value of each attempt is published; the first attempt fails (retryable). */
  @Handler
  public String random(Context ctx, String key) {
    long r = ctx.random().nextLong();
    TestServices.publish("random-" + key, Long.toString(r));
    int n =
        TestServices.FAILURES
            .computeIfAbsent("random-" + key, k -> new AtomicInteger())
            .incrementAndGet();
    if (n == 1) {
      throw new IllegalStateException("first attempt fails");
    }
    return Long.toString(r);
  }

  /** Always fails (retryable); registered with a retry policy of 3 attempts then pause. */
  @Handler
  public String pauses(Context ctx, String key) {
    TestServices.mark("pauses-" + key);
    throw new IllegalStateException("always failing");
  }

  /** Always fails (retryable); registered with a retry policy of 2 attempts then kill. */
  @Handler
  public String killed(Context ctx, String key) {
    TestServices.mark("killed-" + key);
    throw new IllegalStateException("always failing");
  }

  /**
   * Always fails (retryable); registered with a first retry after an hour, so it stays backing off
   * for the length of a test.
   */
  @Handler
  public String backsOff(Context ctx, String key) {
    TestServices.mark("backs-off-" + key);
    throw new IllegalStateException("always failing, retried in an hour");
  }
}
