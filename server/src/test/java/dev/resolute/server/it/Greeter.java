package dev.resolute.server.it;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import dev.restate.sdk.common.TerminalException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Test service written with the official Restate Java SDK 2.4.0. */
@Service
public class Greeter {
  @Handler
  public String greet(Context ctx, String name) {
    return "Hello " + name;
  }

  /** Registered as ingress-private: only handlers may call it. */
  @Handler
  public String secret(Context ctx, String name) {
    return "secret " + name;
  }

  @Handler
  public String threeSteps(Context ctx, String id) {
    String a = ctx.run("one", String.class, () -> "1");
    String b = ctx.run("two", String.class, () -> a + "2");
    return ctx.run("three", String.class, () -> b + "3");
  }

  @Handler
  public String sleepy(Context ctx, Long millis) {
    ctx.sleep(Duration.ofMillis(millis));
    return "slept " + millis;
  }

  @Handler
  public String callOther(Context ctx, String name) {
    String r = GreeterClient.fromContext(ctx).greet(name).await();
    GreeterClient.fromContext(ctx).send().record(name);
    return "called: " + r;
  }

  @Handler
  public void record(Context ctx, String name) {
    ctx.run("record", () -> TestServices.mark("record-" + name));
  }

  @Handler
  public String flaky(Context ctx, String key) {
    int n = TestServices.FAILURES.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (n <= 2) {
      throw new IllegalStateException("transient failure " + n);
    }
    return "ok after " + (n - 1) + " failures";
  }

  /** Counts its executions per input (idempotency tests). */
  @Handler
  public String count(Context ctx, String key) {
    ctx.run("count", () -> TestServices.mark("count-" + key));
    return "counted " + key;
  }

  @Handler
  public String terminal(Context ctx, String msg) {
    throw new TerminalException(418, msg);
  }

  /**
   * run → durable sleep → run; the first run marks a file each time it executes, and once it is
   * journaled.
   */
  @Handler
  public String crashy(Context ctx, String key) {
    String first =
        ctx.run(
            "first",
            String.class,
            () -> {
              TestServices.mark("first-" + key);
              return "first";
            });
    // ctx.run returns once the server acknowledged the result: from here on it is journaled (again
    // on replay)
    TestServices.mark("journaled-first-" + key);
    ctx.sleep(Duration.ofSeconds(3));
    String second =
        ctx.run(
            "second",
            String.class,
            () -> {
              TestServices.mark("second-" + key);
              return "second";
            });
    return first + "+" + second;
  }
}
