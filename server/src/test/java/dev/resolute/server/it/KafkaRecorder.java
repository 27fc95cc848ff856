package dev.resolute.server.it;

import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.SharedObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * Virtual object (official Java SDK 2.4.0) that keeps, per key, what each invocation from a Kafka
 * subscription received: the body and the request headers whose names start with {@code kafka.} or
 * {@code restate.}, one line per invocation in arrival order.
 */
@VirtualObject
public class KafkaRecorder {
  static final StateKey<String> SEEN = StateKey.of("seen", String.class);

  @Handler
  public void record(ObjectContext ctx, String body) {
    Map<String, String> headers = new TreeMap<>();
    ctx.request()
        .headers()
        .forEach(
            (k, v) -> {
              String name = k.toLowerCase(java.util.Locale.ROOT);
              if (name.startsWith("kafka.") || name.startsWith("restate.subscription")) {
                headers.put(name, v);
              }
            });
    String line = "body=" + body + " key=" + ctx.key() + " headers=" + headers;
    ctx.set(SEEN, ctx.get(SEEN).map(s -> s + "\n" + line).orElse(line));
  }

  @Shared
  @Handler
  public String seen(SharedObjectContext ctx) {
    return ctx.get(SEEN).orElse("");
  }
}
