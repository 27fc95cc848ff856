package dev.resolute.chaos;

/**
 * One operation of the load: one or two requests, each retried with the same idempotency key until
 * it is acknowledged (a 2xx), because a request that got no answer or a 5xx may or may not have
 * been taken.
 */
final class Op {
  enum Kind {
    /** {@code Tally/add-<k>/add 1}: acknowledged by the 200 carrying the new total. */
    ADD,
    /** {@code Tally/delay-<k>/add/send?delay=…}: acknowledged by the 202; a timer adds 1 later. */
    DELAYED_ADD,
    /** {@code Steps/step}: one journaled ctx.run; the answer is the journaled token. */
    STEP,
    /**
     * {@code Chain/chain}: a call and a send to {@code call-<k>}/{@code send-<k>}, a sleep, a
     * ctx.run.
     */
    CHAIN,
    /** {@code Flow/<id>/run/send}, then {@code Flow/<id>/approve}: a workflow and its promise. */
    FLOW
  }

  final long seq;
  final Kind kind;

  /** The counter key (ADD, DELAYED_ADD, CHAIN) or the workflow id (FLOW). */
  final String key;

  /** ADD with a delay: the delay in ms; CHAIN: the sleep in ms. */
  final long millis;

  /** Set once every request of the op was acknowledged. */
  volatile boolean acked;

  /** The answer of the last request (STEP/CHAIN: the journaled token). */
  volatile String result;

  /** When the op was acknowledged ({@link System#nanoTime()}). */
  volatile long ackedAt;

  Op(long seq, Kind kind, String key, long millis) {
    this.seq = seq;
    this.kind = kind;
    this.key = key;
    this.millis = millis;
  }

  String id() {
    return "op-" + seq;
  }

  @Override
  public String toString() {
    return id() + " " + kind + " " + key;
  }
}
