package dev.resolute.bench.rsdk;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
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
