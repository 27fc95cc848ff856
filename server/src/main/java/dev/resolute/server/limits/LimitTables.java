package dev.resolute.server.limits;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.server.pb.LimitQueued;
import dev.resolute.server.pb.StoredRuleBook;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.Txn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The limit tables of one partition inside a transaction (or a store reader, for SQL). Each key is
 * the partition (u16), a table tag of its own (lower-case, so it never meets the partition's
 * upper-case tags in {@link Keys}) and the table's fields:
 *
 * <ul>
 *   <li>{@code u ‖ name}: the rule book ({@code book}, a {@link StoredRuleBook}) and counters of
 *       this package ({@code qseq}: last queue sequence number, {@code turn}: last ring turn,
 *       {@code wake}: the record time of the pending rate wake-up, 0 = none);
 *   <li>{@code c ‖ counter}: running invocations holding a slot of a counter ({@link LimitScope});
 *   <li>{@code b ‖ counter}: a counter's token bucket (its theoretical arrival time, a double);
 *   <li>{@code q ‖ group ‖ u64 seq}: the limit queue, one FIFO per group (an invocation's most
 *       specific counter), values {@link LimitQueued};
 *   <li>{@code r ‖ u64 turn} → group and {@code g ‖ group} → turn: the round-robin ring of the
 *       groups that have waiting invocations, served in turn order.
 * </ul>
 */
public final class LimitTables {
  static final byte META = 'u';
  static final byte COUNTER = 'c';
  static final byte BUCKET = 'b';
  static final byte QUEUE = 'q';
  static final byte RING = 'r';
  static final byte GROUP = 'g';

  private final int p;
  private final Txn txn;

  public LimitTables(int partition, Txn txn) {
    this.p = partition;
    this.txn = txn;
  }

  // ---- meta ----

  /** The stored rule book, raw (null when none was ever written). */
  byte[] rawBook() {
    return txn.get(Keys.of(p, META).str("book").build());
  }

  /** The stored rule book ({@link RuleBook#EMPTY} when none). */
  public RuleBook book() {
    byte[] raw = rawBook();
    return raw == null ? RuleBook.EMPTY : RuleRecords.fromProto(parseBook(raw));
  }

  static StoredRuleBook parseBook(byte[] raw) {
    try {
      return StoredRuleBook.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt rule book", e);
    }
  }

  void putBook(RuleBook book) {
    txn.put(Keys.of(p, META).str("book").build(), RuleRecords.toProto(book).toByteArray());
  }

  long meta(String name) {
    byte[] v = txn.get(Keys.of(p, META).str(name).build());
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  void putMeta(String name, long value) {
    txn.put(Keys.of(p, META).str(name).build(), ByteBuffer.allocate(8).putLong(value).array());
  }

  long nextMeta(String name) {
    long v = meta(name) + 1;
    putMeta(name, v);
    return v;
  }

  /** The invocation whose wake-up timer is armed (the carrier of {@code wake}), or null. */
  byte[] wakeCarrier() {
    return txn.get(Keys.of(p, META).str("wakeid").build());
  }

  void putWakeCarrier(byte[] id) {
    txn.put(Keys.of(p, META).str("wakeid").build(), id);
  }

  // ---- counters and buckets ----

  int running(LimitScope counter) {
    byte[] v = txn.get(Keys.of(p, COUNTER).str(counter.toString()).build());
    return v == null ? 0 : ByteBuffer.wrap(v).getInt();
  }

  void putRunning(LimitScope counter, int n) {
    byte[] key = Keys.of(p, COUNTER).str(counter.toString()).build();
    if (n <= 0) {
      txn.delete(key);
    } else {
      txn.put(key, ByteBuffer.allocate(4).putInt(n).array());
    }
  }

  TokenBucket bucket(LimitScope counter) {
    byte[] v = txn.get(Keys.of(p, BUCKET).str(counter.toString()).build());
    return v == null ? TokenBucket.FULL : new TokenBucket(ByteBuffer.wrap(v).getDouble());
  }

  void putBucket(LimitScope counter, TokenBucket b) {
    txn.put(
        Keys.of(p, BUCKET).str(counter.toString()).build(),
        ByteBuffer.allocate(8).putDouble(b.theoreticalArrivalMillis()).array());
  }

  /** Every counter with running invocations and its count (SQL). */
  public void scanRunning(BiPredicate<String, Integer> visitor) {
    byte[] prefix = Keys.of(p, COUNTER).build();
    txn.scan(
        prefix,
        (k, v) ->
            visitor.test(
                new String(Keys.lenBytesAfter(k, prefix), StandardCharsets.UTF_8),
                ByteBuffer.wrap(v).getInt()));
  }

  // ---- queue and ring ----

  /** One waiting invocation: its group, its sequence number and its entry. */
  public record Queued(String group, long seq, LimitQueued entry) {}

  void push(String group, long seq, LimitQueued entry) {
    txn.put(Keys.of(p, QUEUE).str(group).u64(seq).build(), entry.toByteArray());
    byte[] g = Keys.of(p, GROUP).str(group).build();
    if (txn.get(g) == null) {
      long turn = nextMeta("turn");
      txn.put(Keys.of(p, RING).u64(turn).build(), group.getBytes(StandardCharsets.UTF_8));
      txn.put(g, ByteBuffer.allocate(8).putLong(turn).array());
    }
  }

  boolean hasWaiting(String group) {
    return txn.get(Keys.of(p, GROUP).str(group).build()) != null;
  }

  /** The oldest waiting invocation of {@code group}, or null. */
  Queued head(String group) {
    byte[] prefix = Keys.of(p, QUEUE).str(group).build();
    Queued[] out = new Queued[1];
    txn.scan(
        prefix,
        (k, v) -> {
          out[0] = new Queued(group, Keys.u64At(k, prefix.length), parseQueued(v));
          return false;
        });
    return out[0];
  }

  /** Removes one entry; a group left empty leaves the ring. */
  void remove(String group, long seq) {
    txn.delete(Keys.of(p, QUEUE).str(group).u64(seq).build());
    if (head(group) == null) {
      byte[] g = Keys.of(p, GROUP).str(group).build();
      byte[] turn = txn.get(g);
      if (turn != null) {
        txn.delete(Keys.of(p, RING).bytes(turn).build());
        txn.delete(g);
      }
    }
  }

  /** Moves {@code group} to the back of the ring (it was just served and still has waiters). */
  void rotate(String group) {
    byte[] g = Keys.of(p, GROUP).str(group).build();
    byte[] turn = txn.get(g);
    if (turn == null) {
      return;
    }
    txn.delete(Keys.of(p, RING).bytes(turn).build());
    long next = nextMeta("turn");
    txn.put(Keys.of(p, RING).u64(next).build(), group.getBytes(StandardCharsets.UTF_8));
    txn.put(g, ByteBuffer.allocate(8).putLong(next).array());
  }

  /** The groups with waiting invocations, in serving order. */
  List<String> ring() {
    List<String> out = new ArrayList<>();
    byte[] prefix = Keys.of(p, RING).build();
    txn.scan(
        prefix,
        (k, v) -> {
          out.add(new String(v, StandardCharsets.UTF_8));
          return true;
        });
    return out;
  }

  /** Every waiting invocation, group by group in key order (SQL). */
  public void scanQueue(java.util.function.Predicate<Queued> visitor) {
    byte[] prefix = Keys.of(p, QUEUE).build();
    txn.scan(
        prefix,
        (k, v) -> {
          byte[] group = Keys.lenBytesAfter(k, prefix);
          long seq = Keys.u64At(k, prefix.length + 4 + group.length);
          return visitor.test(
              new Queued(new String(group, StandardCharsets.UTF_8), seq, parseQueued(v)));
        });
  }

  private static LimitQueued parseQueued(byte[] v) {
    try {
      return LimitQueued.parseFrom(v);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt limit queue entry", e);
    }
  }
}
