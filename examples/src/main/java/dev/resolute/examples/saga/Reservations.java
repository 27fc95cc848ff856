package dev.resolute.examples.saga;

import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.serde.TypeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The booking systems of one trip (key = trip id), reduced to a log of what happened. Anything
 * whose name starts with {@code SOLD-OUT} cannot be reserved: a terminal error, nothing recorded.
 * Anything starting with {@code SLOW} takes a minute (a durable sleep) — long enough to cancel the
 * trip meanwhile.
 */
@VirtualObject
public class Reservations {
  static final StateKey<List<String>> HISTORY =
      StateKey.of("history", new TypeRef<List<String>>() {});
  public static final String SOLD_OUT = "SOLD-OUT";
  public static final String SLOW = "SLOW";

  @Handler
  public void reserve(ObjectContext ctx, String what) {
    if (what.startsWith(SOLD_OUT)) {
      throw new TerminalException(409, what + " is not available");
    }
    if (what.startsWith(SLOW)) {
      append(ctx, "reserving " + what);
      ctx.sleep(Duration.ofMinutes(1));
    }
    append(ctx, "reserved " + what);
  }

  @Handler
  public void cancel(ObjectContext ctx, String what) {
    append(ctx, "cancelled " + what);
  }

  @Shared
  public List<String> history(SharedObjectContext ctx) {
    return ctx.get(HISTORY).orElse(List.of());
  }

  private static void append(ObjectContext ctx, String entry) {
    List<String> history = ctx.get(HISTORY).orElseGet(ArrayList::new);
    history.add(entry);
    ctx.set(HISTORY, history);
  }
}
