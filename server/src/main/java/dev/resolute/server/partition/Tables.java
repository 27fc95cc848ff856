package dev.resolute.server.partition;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.OutboxMessage;
import dev.resolute.server.pb.Promise;
import dev.resolute.server.pb.Schedule;
import dev.resolute.server.pb.StateMutation;
import dev.resolute.server.pb.Timer;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.Txn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Typed access to one partition's tables inside a transaction. */
final class Tables {
  private final int p;
  private final StateCache stateCache;
  private Txn txn;

  /** Tables for reads, or for writes of something else than object state: no state cache. */
  Tables(int partition) {
    this(partition, null);
  }

  /**
   * The state machine's tables: {@code cache} (if not null) is kept equal to the state table; every
   * write of object state of this partition must then go through this instance.
   */
  Tables(int partition, StateCache cache) {
    this.p = partition;
    this.stateCache = cache;
  }

  /** The state cache, or null. */
  StateCache stateCache() {
    return stateCache;
  }

  Tables on(Txn t) {
    this.txn = t;
    lastStatusId = null;
    return this;
  }

  /** The record's transaction (for the limit tables, which keep their own key layout). */
  Txn txn() {
    return txn;
  }

  // ---- meta counters ----
  long meta(String name) {
    return seq(Keys.of(p, Keys.META).str(name).build());
  }

  void putMeta(String name, long value) {
    putSeq(Keys.of(p, Keys.META).str(name).build(), value);
  }

  long nextSeq(String name) {
    long v = meta(name) + 1;
    putMeta(name, v);
    return v;
  }

  // ---- status ----
  InvocationStatus status(InvocationId id) {
    byte[] raw = id.toBytes();
    InvocationStatus s = readStatus(raw);
    remember(raw, s != null && s.getPhase() == InvocationStatus.Phase.INVOKED);
    return s;
  }

  private InvocationStatus readStatus(byte[] raw) {
    byte[] v = txn.get(statusKey(raw));
    return v == null ? null : parse(() -> InvocationStatus.parseFrom(v));
  }

  private byte[] statusKey(byte[] rawId) {
    return Keys.of(p, Keys.STATUS).bytes(rawId).build();
  }

  /**
   * Writes a status and keeps the running index in step: an invocation is in the index exactly
   * while its stored phase is INVOKED, so start-up finds the invocations to resume without reading
   * every status (several hundred thousand completed ones after a long run). The index entry is
   * written only when the phase enters or leaves INVOKED: a running invocation's status is written
   * for every command of its journal, and writing its index entry again each time (or a tombstone
   * for one that was never there, as for an inboxed or completed status) cost a memtable insertion.
   */
  void putStatus(InvocationId id, InvocationStatus s) {
    byte[] raw = id.toBytes();
    boolean was = storedInvoked(raw);
    boolean now = s.getPhase() == InvocationStatus.Phase.INVOKED;
    txn.put(statusKey(raw), s.toByteArray());
    if (now && !was) {
      txn.put(runningKey(raw), NOTHING);
    } else if (was && !now) {
      txn.delete(runningKey(raw));
    }
    remember(raw, now);
  }

  void deleteStatus(InvocationId id) {
    byte[] raw = id.toBytes();
    boolean was = storedInvoked(raw);
    txn.delete(statusKey(raw));
    if (was) {
      txn.delete(runningKey(raw));
    }
    remember(raw, false);
  }

  /**
   * The status this record last read or wrote: its id and whether its stored phase is INVOKED.
   * Almost every status write follows a read of the same status in the same record, so {@link
   * #storedInvoked} rarely reads it again. Reset by {@link #on}.
   */
  private byte[] lastStatusId;

  private boolean lastStatusInvoked;

  private void remember(byte[] raw, boolean invoked) {
    lastStatusId = raw;
    lastStatusInvoked = invoked;
  }

  /** Whether the stored status of {@code raw} (as of now in this transaction) is INVOKED. */
  private boolean storedInvoked(byte[] raw) {
    if (lastStatusId != null && Arrays.equals(lastStatusId, raw)) {
      return lastStatusInvoked;
    }
    InvocationStatus s = readStatus(raw);
    return s != null && s.getPhase() == InvocationStatus.Phase.INVOKED;
  }

  private byte[] runningKey(byte[] rawId) {
    return Keys.of(p, Keys.RUNNING).bytes(rawId).build();
  }

  private static final byte[] NOTHING = new byte[0];

  /** All invocation ids with a status, with their status. */
  List<Object[]> allStatuses() {
    List<Object[]> out = new ArrayList<>();
    byte[] prefix = Keys.of(p, Keys.STATUS).build();
    txn.scan(
        prefix,
        (k, v) -> {
          out.add(
              new Object[] {
                InvocationId.fromBytes(Keys.after(k, prefix, 24)),
                parse(() -> InvocationStatus.parseFrom(v))
              });
          return true;
        });
    return out;
  }

  /** The ids in the running index (invocations whose status is INVOKED), in key order. */
  List<InvocationId> running() {
    List<InvocationId> out = new ArrayList<>();
    byte[] prefix = Keys.of(p, Keys.RUNNING).build();
    txn.scan(
        prefix,
        (k, v) -> {
          out.add(InvocationId.fromBytes(Keys.after(k, prefix)));
          return true;
        });
    return out;
  }

  /**
   * Adds an invocation to the running index (building the index of a store written before it
   * existed).
   */
  void markRunning(InvocationId id) {
    txn.put(runningKey(id.toBytes()), NOTHING);
  }

  // ---- journal ----
  void putEntry(InvocationId id, int index, JournalEntry e) {
    txn.put(Keys.of(p, Keys.JOURNAL).bytes(id.toBytes()).u32(index).build(), e.toByteArray());
  }

  List<JournalEntry> journal(InvocationId id) {
    List<JournalEntry> out = new ArrayList<>();
    txn.scan(
        Keys.of(p, Keys.JOURNAL).bytes(id.toBytes()).build(),
        (k, v) -> {
          out.add(parse(() -> JournalEntry.parseFrom(v)));
          return true;
        });
    return out;
  }

  /**
   * The journal of an invocation whose status says it has {@code length} entries: point reads by
   * index (an entry written earlier in the same batch comes from the batch), no iterator.
   */
  List<JournalEntry> journal(InvocationId id, int length) {
    List<JournalEntry> out = new ArrayList<>(length);
    byte[] prefix = Keys.of(p, Keys.JOURNAL).bytes(id.toBytes()).build();
    byte[] key = Arrays.copyOf(prefix, prefix.length + 4);
    for (int i = 0; i < length; i++) {
      ByteBuffer.wrap(key, prefix.length, 4)
          .putInt(i); // one key array, its index rewritten per entry
      byte[] v = txn.get(key);
      if (v == null) {
        return journal(id); // not numbered 0..length-1 (never expected): read what is there
      }
      out.add(parse(() -> JournalEntry.parseFrom(v)));
    }
    return out;
  }

  void deleteJournal(InvocationId id) {
    List<byte[]> keys = new ArrayList<>();
    txn.scan(Keys.of(p, Keys.JOURNAL).bytes(id.toBytes()).build(), (k, v) -> keys.add(k));
    keys.forEach(txn::delete);
  }

  // ---- state ----
  private Keys statePrefix(String service, String key) {
    return Keys.of(p, Keys.STATE).str(service).str(key);
  }

  /**
   * The object's entry in the state index: present whenever the object has state (it may outlive
   * the last entry a single delete removed). Starting an attempt on a keyed target reads the
   * object's whole state; for an object without state (a new workflow, a new key) a point read of
   * this key, answered by the bloom filters, replaces a RocksDB iterator and a seek in every level.
   */
  private byte[] stateIndexKey(String service, String key) {
    return Keys.of(p, Keys.STATE_INDEX).str(service).str(key).build();
  }

  /**
   * Meta counter set to 1 once the partition's state index covers all of its state (stores written
   * before the index existed have state without index entries: it is built by the first
   * state-machine apply that reads state, see {@link #stateIndexed}).
   */
  private static final String STATE_INDEXED = "state_indexed";

  private static final byte[] EMPTY = new byte[0];

  /** Whether the index is known complete (cached by the state machine's instance only). */
  private boolean stateIndexed;

  /**
   * Whether the state index of this partition is complete. The state machine's instance (the one
   * with a cache, applying records) completes it on first use, inside the record's batch: every
   * replica does so at the same record, from the same store content. Other instances only read.
   */
  private boolean stateIndexed() {
    if (stateIndexed) {
      return true;
    }
    if (meta(STATE_INDEXED) == 1) {
      stateIndexed = stateCache != null;
      return true;
    }
    if (stateCache == null) {
      return false;
    }
    byte[] table = Keys.of(p, Keys.STATE).build();
    byte[][] last = {null};
    txn.scan(
        table,
        (k, v) -> {
          int end = Keys.objectEnd(k);
          if (last[0] == null
              || Arrays.compareUnsigned(last[0], 0, last[0].length, k, 0, end) != 0) {
            last[0] = Arrays.copyOf(k, end);
            byte[] index = last[0].clone();
            index[2] = Keys.STATE_INDEX;
            txn.put(index, EMPTY);
          }
          return true;
        });
    putMeta(STATE_INDEXED, 1);
    stateIndexed = true;
    return true;
  }

  /** The store under this instance was replaced: what it knew of it is forgotten. */
  void storeReplaced() {
    stateIndexed = false;
    if (stateCache != null) {
      stateCache.clear();
    }
  }

  byte[] state(String service, String key, byte[] name) {
    byte[] k = statePrefix(service, key).lenBytes(name).build();
    if (stateCache != null) {
      byte[][] hit = new byte[1][];
      if (stateCache.lookup(service, key, k, hit)) {
        return hit[0];
      }
    }
    return txn.get(k);
  }

  void putState(String service, String key, byte[] name, byte[] value) {
    byte[] k = statePrefix(service, key).lenBytes(name).build();
    // an object cached with entries has its index entry already; otherwise it is written unless
    // the store has it
    int cached = stateCache == null ? -1 : stateCache.size(service, key);
    if (cached <= 0) {
      byte[] index = stateIndexKey(service, key);
      if (cached == 0 || txn.get(index) == null) {
        txn.put(index, EMPTY);
      }
    }
    txn.put(k, value);
    if (stateCache != null) {
      stateCache.put(service, key, k, name, value);
    }
  }

  void deleteState(String service, String key, byte[] name) {
    byte[] k = statePrefix(service, key).lenBytes(name).build();
    txn.delete(k);
    if (stateCache != null) {
      stateCache.delete(service, key, k);
    }
  }

  /** All entries as {name, value}, in the store's key order. */
  List<byte[][]> allState(String service, String key) {
    if (stateCache != null) {
      List<byte[][]> cached = stateCache.get(service, key);
      if (cached != null) {
        return cached;
      }
    }
    List<byte[][]> out = new ArrayList<>();
    List<byte[]> keys = stateCache == null ? null : new ArrayList<>();
    if (!stateIndexed() || txn.get(stateIndexKey(service, key)) != null) {
      byte[] prefix = statePrefix(service, key).build();
      txn.scan(
          prefix,
          (k, v) -> {
            out.add(new byte[][] {Keys.lenBytesAfter(k, prefix), v});
            if (keys != null) {
              keys.add(k);
            }
            return true;
          });
    }
    if (stateCache != null) {
      stateCache.fill(service, key, keys, out); // copies the entries into its own map
    }
    return out;
  }

  void clearState(String service, String key) {
    List<byte[][]> all = allState(service, key);
    for (byte[][] e : all) {
      deleteState(service, key, e[0]);
    }
    if (!all.isEmpty()) {
      txn.delete(stateIndexKey(service, key));
    }
  }

  // ---- lock + inbox ----
  InvocationId lockHolder(String service, String key) {
    byte[] v = txn.get(Keys.of(p, Keys.LOCK).str(service).str(key).build());
    return v == null ? null : InvocationId.fromBytes(v);
  }

  void lock(String service, String key, InvocationId id) {
    txn.put(Keys.of(p, Keys.LOCK).str(service).str(key).build(), id.toBytes());
  }

  void unlock(String service, String key) {
    txn.delete(Keys.of(p, Keys.LOCK).str(service).str(key).build());
  }

  /**
   * A key's inbox is a FIFO of entries numbered per key, {@code INBOX ‖ service ‖ key ‖ u64 seq},
   * with its bounds {head, tail} in one small record ({@code INBOX_BOUNDS ‖ service ‖ key}, absent
   * when the inbox is empty). Enqueue and dequeue are point reads and writes: a dequeue does not
   * scan, so it never steps over the tombstones that earlier dequeues of a hot key left behind.
   */
  void enqueue(String service, String key, InvocationId id) {
    byte[] boundsKey = Keys.of(p, Keys.INBOX_BOUNDS).str(service).str(key).build();
    long[] hb = inboxBounds(boundsKey);
    txn.put(inboxKey(service, key, hb[1]), id.toBytes());
    txn.put(boundsKey, ByteBuffer.allocate(16).putLong(hb[0]).putLong(hb[1] + 1).array());
  }

  /**
   * Puts an admin state mutation in the key's inbox, behind the invocations already there: it is
   * applied when it reaches the head, i.e. once every invocation before it has released the lock.
   * The entry's value is never {@link InvocationId#RAW_SIZE} bytes long (an invocation entry always
   * is): a marker byte that no serialised {@link StateMutation} starts with, doubled when the
   * length would otherwise be exactly that size.
   */
  void enqueueStateMutation(String service, String key, StateMutation m) {
    byte[] proto = m.toByteArray();
    int marks = proto.length + 1 == InvocationId.RAW_SIZE ? 2 : 1;
    byte[] v = new byte[marks + proto.length];
    Arrays.fill(v, 0, marks, MUTATION_MARK);
    System.arraycopy(proto, 0, v, marks, proto.length);
    byte[] boundsKey = Keys.of(p, Keys.INBOX_BOUNDS).str(service).str(key).build();
    long[] hb = inboxBounds(boundsKey);
    txn.put(inboxKey(service, key, hb[1]), v);
    txn.put(boundsKey, ByteBuffer.allocate(16).putLong(hb[0]).putLong(hb[1] + 1).array());
  }

  /**
   * Leads an inbox entry that holds a state mutation: 0xA5 is the tag of field 20 with wire type 5,
   * which {@link StateMutation} does not have, so its serialised form never starts with it.
   */
  private static final byte MUTATION_MARK = (byte) 0xA5;

  /** Whether a stored inbox value is an invocation (else a waiting state mutation). */
  static boolean isInvocationEntry(byte[] v) {
    return v.length == InvocationId.RAW_SIZE;
  }

  /** One inbox entry: an invocation waiting for the lock, or a state mutation waiting for it. */
  record InboxEntry(InvocationId invocation, StateMutation mutation) {}

  /** Removes and returns the head of the inbox, or null if it is empty. */
  InboxEntry dequeueEntry(String service, String key) {
    byte[] v = dequeueRaw(service, key);
    if (v == null) {
      return null;
    }
    if (isInvocationEntry(v)) {
      return new InboxEntry(InvocationId.fromBytes(v), null);
    }
    int i = 0;
    while (v[i] == MUTATION_MARK) {
      i++;
    }
    try {
      return new InboxEntry(null, StateMutation.parseFrom(Arrays.copyOfRange(v, i, v.length)));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "unreadable state mutation in the inbox of " + service + "/" + key, e);
    }
  }

  /** Removes and returns the head of the inbox, an invocation, or null if it is empty. */
  InvocationId dequeue(String service, String key) {
    byte[] v = dequeueRaw(service, key);
    return v == null ? null : InvocationId.fromBytes(v);
  }

  private byte[] dequeueRaw(String service, String key) {
    byte[] boundsKey = Keys.of(p, Keys.INBOX_BOUNDS).str(service).str(key).build();
    long[] hb = inboxBounds(boundsKey);
    if (hb[0] >= hb[1]) {
      return null;
    }
    byte[] entryKey = inboxKey(service, key, hb[0]);
    byte[] v = txn.get(entryKey);
    txn.delete(entryKey);
    if (hb[0] + 1 == hb[1]) {
      txn.delete(boundsKey); // empty: numbering starts again at 0
    } else {
      txn.put(boundsKey, ByteBuffer.allocate(16).putLong(hb[0] + 1).putLong(hb[1]).array());
    }
    if (v == null) {
      throw new IllegalStateException(
          "inbox entry " + hb[0] + " of " + service + "/" + key + " is missing");
    }
    return v;
  }

  private long[] inboxBounds(byte[] boundsKey) {
    byte[] v = txn.get(boundsKey);
    if (v == null) {
      return new long[] {0, 0};
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    return new long[] {b.getLong(), b.getLong()};
  }

  private byte[] inboxKey(String service, String key, long seq) {
    return Keys.of(p, Keys.INBOX).str(service).str(key).u64(seq).build();
  }

  // ---- timers ----
  byte[] putTimer(long time, Timer t) {
    byte[] key = Keys.of(p, Keys.TIMER).u64(time).u64(nextSeq("timer")).build();
    txn.put(key, t.toByteArray());
    return key;
  }

  Timer timer(byte[] key) {
    byte[] v = txn.get(key);
    return v == null ? null : parse(() -> Timer.parseFrom(v));
  }

  void deleteTimer(byte[] key) {
    txn.delete(key);
  }

  /** All timers as {key, time}. */
  List<Object[]> allTimers() {
    List<Object[]> out = new ArrayList<>();
    txn.scan(
        Keys.of(p, Keys.TIMER).build(),
        (k, v) -> {
          out.add(new Object[] {k, Keys.timerTime(k)});
          return true;
        });
    return out;
  }

  // ---- outbox + dedup ----
  void putOutbox(long seq, OutboxMessage m) {
    txn.put(Keys.of(p, Keys.OUTBOX).u64(seq).build(), m.toByteArray());
  }

  /**
   * Deletes the outbox messages up to {@code upTo}. Sequence numbers are contiguous, so once the
   * truncation point is known ({@code outbox_truncated}) this is point deletes of exactly the new
   * range: a scan from the prefix would step over the tombstones of every message shipped since the
   * last compaction, so truncation would cost more the longer the node runs; point deletes keep it
   * proportional to the messages truncated.
   */
  void truncateOutbox(long upTo) {
    long done = meta("outbox_truncated");
    if (upTo <= done) {
      return;
    }
    if (done == 0) { // first truncation of this partition: find what is there
      List<byte[]> keys = new ArrayList<>();
      txn.scan(
          Keys.of(p, Keys.OUTBOX).build(),
          (k, v) -> {
            if (Keys.outboxSeq(k) > upTo) {
              return false;
            }
            keys.add(k);
            return true;
          });
      keys.forEach(txn::delete);
    } else {
      for (long seq = done + 1; seq <= upTo; seq++) {
        txn.delete(Keys.of(p, Keys.OUTBOX).u64(seq).build());
      }
    }
    putMeta("outbox_truncated", upTo);
  }

  /** All outbox messages as {seq, message}, from the truncation point on. */
  List<Object[]> outbox() {
    List<Object[]> out = new ArrayList<>();
    byte[] prefix = Keys.of(p, Keys.OUTBOX).build();
    txn.scanFrom(
        prefix,
        Keys.of(p, Keys.OUTBOX).u64(meta("outbox_truncated") + 1).build(),
        (k, v) -> {
          out.add(new Object[] {Keys.outboxSeq(k), parse(() -> OutboxMessage.parseFrom(v))});
          return true;
        });
    return out;
  }

  long dedupSeq(int sourcePartition) {
    return seq(Keys.of(p, Keys.DEDUP).u32(sourcePartition).build());
  }

  void putDedupSeq(int sourcePartition, long seq) {
    putSeq(Keys.of(p, Keys.DEDUP).u32(sourcePartition).build(), seq);
  }

  long producerSeq(String producer) {
    return seq(Keys.of(p, Keys.PRODUCER_DEDUP).str(producer).build());
  }

  void putProducerSeq(String producer, long seq) {
    putSeq(Keys.of(p, Keys.PRODUCER_DEDUP).str(producer).build(), seq);
  }

  /** A stored counter or highest-applied sequence number (8 bytes big-endian), 0 when none. */
  private long seq(byte[] key) {
    byte[] v = txn.get(key);
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  private void putSeq(byte[] key, long seq) {
    txn.put(key, ByteBuffer.allocate(8).putLong(seq).array());
  }

  // ---- promises ----
  Promise promise(String service, String key, String name) {
    byte[] v = txn.get(Keys.of(p, Keys.PROMISE).str(service).str(key).str(name).build());
    return v == null ? null : parse(() -> Promise.parseFrom(v));
  }

  void putPromise(String service, String key, String name, Promise pr) {
    txn.put(Keys.of(p, Keys.PROMISE).str(service).str(key).str(name).build(), pr.toByteArray());
  }

  void clearPromises(String service, String key) {
    List<byte[]> keys = new ArrayList<>();
    txn.scan(Keys.of(p, Keys.PROMISE).str(service).str(key).build(), (k, v) -> keys.add(k));
    keys.forEach(txn::delete);
  }

  // ---- schedules ----
  Schedule schedule(String id) {
    byte[] v = txn.get(Keys.of(p, Keys.SCHEDULE).str(id).build());
    return v == null ? null : parse(() -> Schedule.parseFrom(v));
  }

  void putSchedule(Schedule s) {
    txn.put(Keys.of(p, Keys.SCHEDULE).str(s.getId()).build(), s.toByteArray());
  }

  void deleteSchedule(String id) {
    txn.delete(Keys.of(p, Keys.SCHEDULE).str(id).build());
  }

  /** Every schedule of the partition, in key order (by id length, then id). */
  List<Schedule> schedules() {
    List<Schedule> out = new ArrayList<>();
    txn.scan(
        Keys.of(p, Keys.SCHEDULE).build(),
        (k, v) -> {
          out.add(parse(() -> Schedule.parseFrom(v)));
          return true;
        });
    return out;
  }

  // ---- applied lsn ----
  static byte[] appliedKey(int partition) {
    return Keys.of(partition, Keys.META).str("applied_lsn").build();
  }

  /** The partition's applied LSN as seen by {@code txn}; 0 if none is stored. */
  static long appliedLsn(Txn txn, int partition) {
    byte[] v = txn.get(appliedKey(partition));
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  static void putAppliedLsn(Txn txn, int partition, long lsn) {
    txn.put(appliedKey(partition), ByteBuffer.allocate(8).putLong(lsn).array());
  }

  interface Parse<T> {
    T run() throws InvalidProtocolBufferException;
  }

  static <T> T parse(Parse<T> p) {
    try {
      return p.run();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt stored record", e);
    }
  }
}
