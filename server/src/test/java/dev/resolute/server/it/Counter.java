package dev.resolute.server.it;

import dev.restate.sdk.Awakeable;
import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.SharedObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;
import dev.restate.sdk.common.TerminalException;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual object written with the official Restate Java SDK 2.4.0: counter, ordered log, lock
 * holder.
 */
@VirtualObject
public class Counter {
  static final StateKey<Long> COUNT = StateKey.of("count", Long.class);
  static final StateKey<String> LOG = StateKey.of("log", String.class);

  @Handler
  public long add(ObjectContext ctx, long delta) {
    long v = ctx.get(COUNT).orElse(0L) + delta;
    ctx.set(COUNT, v);
    return v;
  }

  @Shared
  @Handler
  public long get(SharedObjectContext ctx) {
    return ctx.get(COUNT).orElse(0L);
  }

  /** Appends to a comma-separated log; the order of calls per key is the order of the log. */
  @Handler
  public String append(ObjectContext ctx, String item) {
    String s = ctx.get(LOG).map(l -> l + "," + item).orElse(item);
    ctx.set(LOG, s);
    return s;
  }

  @Shared
  @Handler
  public String log(SharedObjectContext ctx) {
    return ctx.get(LOG).orElse("");
  }

  /** Holds the key's lock until the awakeable published under {@code awk-<tag>} is resolved. */
  @Handler
  public String hold(ObjectContext ctx, String tag) {
    Awakeable<String> a = ctx.awakeable(String.class);
    ctx.run("publish", () -> TestServices.publish("awk-" + tag, a.id()));
    String v = a.await();
    String s = ctx.get(LOG).map(l -> l + "," + "held-" + v).orElse("held-" + v);
    ctx.set(LOG, s);
    return "held " + v;
  }

  /** Sets state, then fails terminally: the state change stays. */
  @Handler
  public String setThenFail(ObjectContext ctx, String value) {
    ctx.set(StateKey.of("last", String.class), value);
    throw new TerminalException(400, "failed after set " + value);
  }

  @Shared
  @Handler
  public String read(SharedObjectContext ctx, String name) {
    return ctx.get(StateKey.of(name, String.class)).orElse("<none>");
  }

  @Shared
  @Handler
  public List<String> keys(SharedObjectContext ctx) {
    List<String> k = new ArrayList<>(ctx.stateKeys());
    k.sort(null);
    return k;
  }

  @Handler
  public void clear(ObjectContext ctx, String name) {
    ctx.clear(StateKey.of(name, String.class));
  }

  @Handler
  public void clearAll(ObjectContext ctx) {
    ctx.clearAll();
  }

  @Handler
  public void put(ObjectContext ctx, String nameAndValue) {
    int i = nameAndValue.indexOf('=');
    ctx.set(StateKey.of(nameAndValue.substring(0, i), String.class), nameAndValue.substring(i + 1));
  }
}
