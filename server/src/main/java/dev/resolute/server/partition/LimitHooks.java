package dev.resolute.server.partition;

import static dev.resolute.server.partition.Apply.raw;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.limits.Admission;
import dev.resolute.server.limits.LimitTables;
import dev.resolute.server.limits.RuleBook;
import dev.resolute.server.limits.RuleRecords;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.LimitHold;
import dev.resolute.server.pb.RuleBatch;
import dev.resolute.server.pb.Timer;
import java.util.Optional;

/**
 * Where the lifecycle meets the concurrency and rate limits ({@link Admission}, package {@code
 * limits}): a scoped invocation takes its slots before it starts (or waits in the limit queue, its
 * phase staying SCHEDULED), frees them when it completes, and a rule batch replaces the book. A
 * waiting invocation holds a rate wake-up as a {@code start_scheduled} timer of its own; when it
 * fires the queue is served again. Unscoped invocations never reach the limit tables.
 */
final class LimitHooks {
  private LimitHooks() {}

  /**
   * Called before a due invocation takes its key's lock and starts: true when it may go on (it is
   * unscoped, already holds its slots, or just took them); false when it waits in the limit queue
   * (stored here) or, being queued already, its wake-up served the queue.
   */
  static boolean admit(Apply cx, InvocationId id, InvocationStatus.Builder st) {
    if (st.getScope().isEmpty() || st.getLimit().getHolding()) {
      return true;
    }
    LimitTables t = cx.limits.tables(cx.t.txn());
    if (st.getLimit().getQueueSeq() != 0) {
      // a rate wake-up carried by this waiting invocation
      cx.limits.woke(t, cx.now);
      serve(cx, t);
      return false;
    }
    if (cx.limits.tryAcquire(t, st.getScope(), st.getLimitKey(), cx.now)) {
      st.setLimit(LimitHold.newBuilder().setHolding(true));
      return true;
    }
    long seq = cx.limits.enqueue(t, id.toBytes(), st.getScope(), st.getLimitKey(), cx.now);
    st.setLimit(LimitHold.newBuilder().setQueueSeq(seq).setQueuedAt(cx.now)).setModifiedAt(cx.now);
    cx.t.putStatus(id, st.build());
    serve(cx, t); // arms the rate wake-up if this one waits for a token
    return false;
  }

  /** Called when an invocation completes: frees its slots or its place in the queue. */
  static void release(Apply cx, InvocationStatus.Builder st) {
    if (st.getScope().isEmpty()) {
      return;
    }
    LimitHold hold = st.getLimit();
    if (!hold.getHolding() && hold.getQueueSeq() == 0) {
      return;
    }
    LimitTables t = cx.limits.tables(cx.t.txn());
    if (hold.getHolding()) {
      cx.limits.release(t, st.getScope(), st.getLimitKey());
    } else {
      cx.limits.dequeue(t, st.getScope(), st.getLimitKey(), hold.getQueueSeq());
    }
    st.clearLimit();
    serve(cx, t);
  }

  /** Applies a rule batch to this partition's book; partition 0's record answers the admin. */
  static void onRuleBatch(Apply cx, RuleBatch batch) {
    LimitTables t = cx.limits.tables(cx.t.txn());
    RuleBook book = cx.limits.book(t);
    try {
      RuleBook next =
          batch.getUpsertsCount() > 0 || batch.getDeletesCount() == 0
              ? book.upsert(RuleRecords.upsertsOf(batch), batch.getAtMillis()).book()
              : book.delete(RuleRecords.deletesOf(batch)).book();
      if (next != book) {
        cx.limits.putBook(t, next);
      }
      cx.reply(batch.getIngressRequest(), new Answer.Done());
      serve(cx, t);
    } catch (RuleBook.RejectedException e) {
      cx.reply(
          batch.getIngressRequest(),
          new Answer.Refused(new DispatchException(e.conflict() ? 409 : 422, e.getMessage())));
    }
  }

  /** Starts what may start now and arms the next rate wake-up. */
  private static void serve(Apply cx, LimitTables t) {
    Optional<Admission.Wake> wake =
        cx.limits.admit(
            t,
            cx.now,
            new Admission.Starter() {
              @Override
              public boolean queued(byte[] id, long seq) {
                InvocationStatus s = cx.t.status(InvocationId.fromBytes(id));
                return s != null
                    && Phase.of(s) == Phase.SCHEDULED
                    && s.getLimit().getQueueSeq() == seq;
              }

              @Override
              public void start(byte[] raw) {
                InvocationId id = InvocationId.fromBytes(raw);
                InvocationStatus s = cx.t.status(id);
                Lifecycle.enqueueOrStart(
                    cx,
                    id,
                    s.toBuilder()
                        .setLimit(LimitHold.newBuilder().setHolding(true))
                        .setModifiedAt(cx.now));
              }
            });
    wake.ifPresent(
        w ->
            cx.timer(
                w.atMillis(),
                Timer.newBuilder()
                    .setInvocationId(raw(InvocationId.fromBytes(w.id())))
                    .setStartScheduled(true)
                    .build()));
  }
}
