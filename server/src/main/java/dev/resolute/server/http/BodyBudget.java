package dev.resolute.server.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The request-body bytes one port holds at once, from the moment a request's header arrives until
 * its response is written. A request reserves its whole declared body (or the body limit when the
 * length is not declared) before any of it is read: all or nothing, so requests can never hold part
 * of the budget each while waiting for the rest. A request that does not fit waits, first come
 * first served, with its connection's reading paused (TCP and HTTP/2 flow control push back on the
 * client), and goes on once earlier requests are answered. A body larger than the whole budget
 * waits until it is alone. Thread-safe.
 */
final class BodyBudget {
  private final long capacity;
  private long used;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  /** A reservation that did not fit yet; {@link #cancel} it when its connection goes away. */
  final class Waiter {
    private final long bytes;
    private final Runnable onGrant;

    private Waiter(long bytes, Runnable onGrant) {
      this.bytes = bytes;
      this.onGrant = onGrant;
    }

    /** Withdraws the reservation; if it was granted meanwhile, gives the bytes back. */
    void cancel() {
      boolean granted;
      synchronized (BodyBudget.this) {
        granted = !waiters.remove(this);
      }
      if (granted) {
        release(bytes);
      }
    }
  }

  BodyBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /**
   * The bytes a request of {@code bytes} reserves (a body above the capacity reserves all of it).
   */
  long cost(long bytes) {
    return Math.min(bytes, capacity);
  }

  /**
   * Reserves {@code cost(bytes)}: returns null when granted at once; otherwise a waiter whose
   * {@code onGrant} runs (on the releasing thread) once the bytes are reserved for it.
   */
  synchronized Waiter acquire(long bytes, Runnable onGrant) {
    long n = cost(bytes);
    if (waiters.isEmpty() && used + n <= capacity) {
      used += n;
      return null;
    }
    Waiter w = new Waiter(n, onGrant);
    waiters.add(w);
    return w;
  }

  /** Gives back {@code cost} bytes reserved earlier and grants waiters that now fit. */
  void release(long cost) {
    List<Runnable> granted = new ArrayList<>();
    synchronized (this) {
      used -= cost;
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (used + w.bytes > capacity) {
          break; // first come, first served: nobody overtakes the head
        }
        used += w.bytes;
        it.remove();
        granted.add(w.onGrant);
      }
    }
    granted.forEach(Runnable::run);
  }

  synchronized long used() {
    return used;
  }

  synchronized int waiting() {
    return waiters.size();
  }
}
