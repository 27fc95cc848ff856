package dev.resolute.bench.services;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import java.time.Duration;

/** A durable timer: the invocation suspends or waits for the server's timer to fire. */
@Service
public class Sleeper {
  @Handler
  public String sleep(Context ctx, long millis) {
    ctx.sleep(Duration.ofMillis(millis));
    return "slept";
  }
}
