package dev.resolute.server.it;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handlers for the limits ITs: {@code work} counts the executions in flight in this deployment
 * process per tag, {@code tick} records the time each execution starts (marker {@code ticks}).
 */
@Service
public class Limited {
  static final ConcurrentHashMap<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
  static final ConcurrentHashMap<String, AtomicInteger> MAX = new ConcurrentHashMap<>();

  // input tag:millis. Holds the handler for millis ms in this process (no suspension), counting
  // the executions of tag in flight; every new highest count is appended to the marker
  // max-in-flight-tag.
  @Handler
  public String work(Context ctx, String spec) {
    String tag = spec.substring(0, spec.indexOf(':'));
    long millis = Long.parseLong(spec.substring(spec.indexOf(':') + 1));
    AtomicInteger inFlight = IN_FLIGHT.computeIfAbsent(tag, t -> new AtomicInteger());
    AtomicInteger max = MAX.computeIfAbsent(tag, t -> new AtomicInteger());
    int now = inFlight.incrementAndGet();
    try {
      synchronized (max) {
        if (now > max.get()) {
          max.set(now);
          TestServices.publish("max-in-flight-" + tag, Integer.toString(now));
        }
      }
      Thread.sleep(millis);
      return "worked " + millis;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  // records when this execution started: a line with the tag and the epoch millis
  @Handler
  public String tick(Context ctx, String tag) {
    TestServices.publish("ticks", tag + " " + System.currentTimeMillis());
    return tag;
  }
}
