package dev.resolute.server.partition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Node-local registry of ingress requests waiting for an effect of apply. */
public final class Replies {
  private final ConcurrentHashMap<Long, CompletableFuture<Answer>> waiting =
      new ConcurrentHashMap<>();
  private final AtomicLong next;

  public Replies() {
    this(System.nanoTime() & 0x3FFFFFFFFFFFL | 1);
  }

  /** Request ids follow {@code first} (a simulation picks it, so a seed replays byte for byte). */
  public Replies(long first) {
    this.next = new AtomicLong(first);
  }

  public long register(CompletableFuture<Answer> f) {
    long id = next.incrementAndGet();
    waiting.put(id, f);
    f.whenComplete((r, e) -> waiting.remove(id));
    return id;
  }

  /** Completes a waiter; a {@link Answer.Refused} answer completes it exceptionally. */
  void complete(long id, Answer answer) {
    CompletableFuture<Answer> f = waiting.get(id);
    if (f == null) {
      return;
    }
    if (answer instanceof Answer.Refused r) {
      f.completeExceptionally(r.error());
    } else {
      f.complete(answer);
    }
  }

  /** Requests still waiting (for metrics and tests). */
  public int size() {
    return waiting.size();
  }
}
