package dev.resolute.server.it;

import dev.restate.sdk.Awakeable;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Workflow;
import dev.restate.sdk.common.DurablePromiseKey;
import java.time.Duration;

/**
 * Workflow written with the official Restate Java SDK 2.4.0 that waits once for each kind of
 * completion: a sleep, a {@code ctx.run}, a call, an awakeable and a durable promise. Every
 * execution of the handler from the start of its journal appends a line to the marker {@code
 * replays-<key>}, so a test counts how often the invocation was replayed.
 */
@Workflow
public class Replays {
  static final DurablePromiseKey<String> PROMISE = DurablePromiseKey.of("p", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String counterKey) {
    TestServices.mark("replays-" + ctx.key()); // not journaled: runs on every execution
    ctx.sleep(Duration.ofMillis(10));
    String ran = ctx.run("step", String.class, () -> "ran");
    long count = CounterClient.fromContext(ctx, counterKey).add(1).await();
    Awakeable<String> a = ctx.awakeable(String.class);
    ctx.awakeableHandle(a.id()).resolve(String.class, "awoken");
    String awoken = a.await();
    ctx.promiseHandle(PROMISE).resolve("promised");
    String promised = ctx.promise(PROMISE).future().await();
    return ran + "," + count + "," + awoken + "," + promised;
  }
}
