package dev.resolute.server.it;

import dev.restate.common.Output;
import dev.restate.sdk.Awakeable;
import dev.restate.sdk.InvocationHandle;
import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;
import dev.restate.sdk.common.TerminalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual object written with the official Restate Java SDK 2.4.0 whose journals hold every kind of
 * journal entry a Java handler can write (SQL comparison of {@code sys_journal.entry_json}), and
 * two handlers that fail with a related command (registered with a first retry after an hour).
 */
@VirtualObject
public class Kinds {
  static final StateKey<String> A = StateKey.of("a", String.class);

  /**
   * State reads (absent and present), writes, keys, clears; a named and an unnamed sleep; calls to
   * a service, an exclusive and a shared object handler and a shared workflow handler; a delayed
   * send; a run that succeeds and one that fails terminally; two awakeables completed by this
   * handler (one resolved, one rejected); attach, get-output and cancel of a finished invocation.
   */
  @Handler
  public String everything(ObjectContext ctx, String tag) {
    List<String> out = new ArrayList<>();
    out.add(ctx.get(A).orElse("<none>"));
    ctx.set(A, "x");
    out.add(ctx.get(A).orElse("<none>"));
    out.add(String.join(",", ctx.stateKeys()));
    ctx.clear(A);
    ctx.clearAll();
    ctx.sleep(Duration.ofMillis(1));
    ctx.timer("nap", Duration.ofMillis(1)).await();
    out.add(GreeterClient.fromContext(ctx).greet(tag).await());
    out.add(Long.toString(CounterClient.fromContext(ctx, tag + "-c").add(1L).await()));
    out.add(Long.toString(CounterClient.fromContext(ctx, tag + "-c").get().await()));
    out.add(SignupClient.fromContext(ctx, tag + "-w").status().await());
    GreeterClient.fromContext(ctx).send().greet(tag + "-later", Duration.ofMillis(100));
    out.add(ctx.run("ok", String.class, () -> "fine"));
    try {
      ctx.run(
          "bad",
          String.class,
          () -> {
            throw new TerminalException(409, "nope");
          });
    } catch (TerminalException e) {
      out.add("run failed " + e.getCode());
    }
    Awakeable<String> yes = ctx.awakeable(String.class);
    ctx.awakeableHandle(yes.id()).resolve(String.class, "yes");
    out.add(yes.await());
    Awakeable<String> no = ctx.awakeable(String.class);
    ctx.awakeableHandle(no.id()).reject("no");
    try {
      no.await();
    } catch (TerminalException e) {
      out.add("rejected " + e.getCode());
    }
    InvocationHandle<String> h = GreeterClient.fromContext(ctx).send().greet(tag + "-sent");
    out.add(h.attach().await());
    Output<String> o = ctx.invocationHandle(h.invocationId(), String.class).getOutput();
    out.add(o.isReady() ? o.getValue() : "not ready");
    ctx.invocationHandle(h.invocationId()).cancel();
    return String.join("|", out);
  }

  /** Fails (retryable) inside a named run: the related command is that run. */
  @Handler
  public String failsInRun(ObjectContext ctx, String tag) {
    return ctx.run(
        "step",
        String.class,
        () -> {
          throw new IllegalStateException("the step failed");
        });
  }

  /** Fails (retryable) after a call returned. */
  @Handler
  public String failsAfterCall(ObjectContext ctx, String tag) {
    String r = GreeterClient.fromContext(ctx).greet(tag).await();
    throw new IllegalStateException("failed after " + r);
  }
}
