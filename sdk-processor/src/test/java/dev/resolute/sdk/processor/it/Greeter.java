package dev.resolute.sdk.processor.it;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Accept;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Name;
import dev.resolute.sdk.annotation.Raw;
import dev.resolute.sdk.annotation.Service;
import java.time.Duration;

/** Uses the generated context clients of {@link Counter}. */
@Service
@Name("GenGreeter")
public class Greeter {

  @Handler
  public String greet(Context ctx, String name) {
    return "Hello " + name;
  }

  /**
   * Calls {@code Counter/{name}/add} and sends 5 to {@code Counter/sent-{name}}, one of them
   * delayed.
   */
  @Handler
  public String countAndGreet(Context ctx, String name) {
    long n = CounterClient.fromContext(ctx, name).add(1).await();
    CounterClient.fromContext(ctx, "sent-" + name).send().add(2);
    CounterClient.fromContext(ctx, "sent-" + name).send().add(3, Duration.ofMillis(500));
    return "Hello " + name + " #" + n;
  }

  @Handler
  @Name("length")
  public int rawLength(Context ctx, @Accept("*/*") @Raw byte[] body) {
    return body.length;
  }

  @Handler
  public void nothing(Context ctx) {}
}
