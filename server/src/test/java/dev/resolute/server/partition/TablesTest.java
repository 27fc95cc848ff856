package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import dev.resolute.server.storage.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The per-key inbox layout: FIFO per key, keys independent, nothing left behind once empty. */
class TablesTest {
  final Store store = new MemoryStore();

  static InvocationId id(int n) {
    byte[] uuid = new byte[16];
    uuid[14] = (byte) (n >>> 8);
    uuid[15] = (byte) n;
    return new InvocationId(PartitionKeys.keyed("k"), uuid);
  }

  /** Runs {@code body} in one committed batch, as apply does. */
  <T> T inBatch(java.util.function.Function<Tables, T> body) {
    try (Store.Batch b = store.begin()) {
      T r = body.apply(new Tables(3).on(b));
      b.commit();
      return r;
    }
  }

  InvocationId dequeue(String service, String key) {
    return inBatch(t -> t.dequeue(service, key));
  }

  @Test
  void dequeuesInArrivalOrderPerKeyAcrossBatches() {
    for (int i = 0; i < 100; i++) {
      int n = i;
      inBatch(
          t -> {
            t.enqueue("Counter", "a", id(n));
            t.enqueue("Counter", "b", id(1000 + n));
            return null;
          });
    }
    List<InvocationId> a = new ArrayList<>();
    InvocationId next;
    while ((next = dequeue("Counter", "a")) != null) {
      a.add(next);
      if (a.size() == 50) {
        inBatch(
            t -> { // an arrival while the queue drains goes to its end
              t.enqueue("Counter", "a", id(500));
              return null;
            });
      }
    }
    assertThat(a).hasSize(101);
    for (int i = 0; i < 100; i++) {
      assertThat(a.get(i)).isEqualTo(id(i));
    }
    assertThat(a.get(100)).isEqualTo(id(500));
    assertThat(dequeue("Counter", "b")).isEqualTo(id(1000));
  }

  @Test
  void anEmptiedInboxLeavesNoRecordsAndStartsAgain() {
    inBatch(
        t -> {
          t.enqueue("Counter", "a", id(1));
          t.enqueue("Counter", "a", id(2));
          return null;
        });
    // enqueue and dequeue inside one batch see each other (read-your-writes)
    List<InvocationId> both =
        inBatch(t -> List.of(t.dequeue("Counter", "a"), t.dequeue("Counter", "a")));
    assertThat(both).containsExactly(id(1), id(2));
    assertThat(dequeue("Counter", "a")).isNull();
    assertThat(keysOf(Keys.INBOX)).isZero();
    assertThat(keysOf(Keys.INBOX_BOUNDS)).isZero();
    inBatch(
        t -> {
          t.enqueue("Counter", "a", id(3));
          return null;
        });
    assertThat(dequeue("Counter", "a")).isEqualTo(id(3));
  }

  @Test
  void keysThatArePrefixesOfEachOtherHaveSeparateInboxes() {
    inBatch(
        t -> {
          t.enqueue("Counter", "a", id(1));
          t.enqueue("Counter", "ab", id(2));
          t.enqueue("Counte", "ra", id(3));
          return null;
        });
    assertThat(dequeue("Counter", "ab")).isEqualTo(id(2));
    assertThat(dequeue("Counter", "ab")).isNull();
    assertThat(dequeue("Counter", "a")).isEqualTo(id(1));
    assertThat(dequeue("Counte", "ra")).isEqualTo(id(3));
  }

  private int keysOf(byte table) {
    int[] n = {0};
    store
        .reader()
        .scan(
            Keys.of(3, table).build(),
            (k, v) -> {
              n[0]++;
              return true;
            });
    return n[0];
  }

  static List<Long> outboxSeqs(Tables t) {
    List<Long> out = new ArrayList<>();
    for (Object[] o : t.outbox()) {
      out.add((Long) o[0]);
    }
    return out;
  }

  @Test
  void outboxTruncationDeletesUpToTheGivenSeqAcrossBatchesAndIgnoresOlderTruncations() {
    dev.resolute.server.pb.OutboxMessage m =
        dev.resolute.server.pb.OutboxMessage.newBuilder().setTargetPartition(1).build();
    inBatch(
        t -> {
          for (int i = 0; i < 100; i++) {
            t.putOutbox(t.nextSeq("outbox"), m);
          }
          return null;
        });
    inBatch(
        t -> {
          t.truncateOutbox(40); // the first one finds what is there
          return null;
        });
    assertThat(inBatch(TablesTest::outboxSeqs)).hasSize(60).first().isEqualTo(41L);
    inBatch(
        t -> {
          t.truncateOutbox(30); // a late, older truncation changes nothing
          return null;
        });
    assertThat(inBatch(TablesTest::outboxSeqs)).hasSize(60).first().isEqualTo(41L);
    inBatch(
        t -> {
          t.putOutbox(t.nextSeq("outbox"), m); // 101, in the same batch as a truncation
          t.truncateOutbox(99);
          return null;
        });
    assertThat(inBatch(TablesTest::outboxSeqs)).containsExactly(100L, 101L);
    inBatch(
        t -> {
          t.truncateOutbox(101);
          return null;
        });
    assertThat(inBatch(TablesTest::outboxSeqs)).isEmpty();
    try (Store.Batch b = store.begin()) {
      List<byte[]> left = new ArrayList<>();
      b.scan(Keys.of(3, Keys.OUTBOX).build(), (k, v) -> left.add(k));
      assertThat(left).isEmpty();
    }
  }

  @Test
  void stateMutationsShareTheInboxWithInvocationsInOrderWhateverTheirSize() {
    List<dev.resolute.server.pb.StateMutation> mutations = new ArrayList<>();
    for (int len = 0; len < 40; len++) {
      // every serialised size around an invocation id's 24 bytes
      mutations.add(
          dev.resolute.server.pb.StateMutation.newBuilder()
              .setService("C")
              .setKey("x".repeat(len))
              .build());
    }
    inBatch(
        t -> {
          for (int i = 0; i < mutations.size(); i++) {
            t.enqueue("C", "k", id(i));
            t.enqueueStateMutation("C", "k", mutations.get(i));
          }
          return null;
        });
    for (int i = 0; i < mutations.size(); i++) {
      Tables.InboxEntry inv = inBatch(t -> t.dequeueEntry("C", "k"));
      assertThat(inv.invocation()).isEqualTo(id(i));
      assertThat(inv.mutation()).isNull();
      Tables.InboxEntry m = inBatch(t -> t.dequeueEntry("C", "k"));
      assertThat(m.invocation()).isNull();
      assertThat(m.mutation()).isEqualTo(mutations.get(i));
    }
    Tables.InboxEntry none = inBatch(t -> t.dequeueEntry("C", "k"));
    assertThat(none).isNull();
  }

  /** The table bytes of every put ('+') and delete ('-') a batch receives, in order. */
  static final class Recording implements Txn {
    final Txn inner;
    final List<String> writes = new ArrayList<>();

    Recording(Txn inner) {
      this.inner = inner;
    }

    @Override
    public byte[] get(byte[] key) {
      return inner.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
      writes.add("+" + (char) key[2]);
      inner.put(key, value);
    }

    @Override
    public void delete(byte[] key) {
      writes.add("-" + (char) key[2]);
      inner.delete(key);
    }

    @Override
    public void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
      inner.scan(prefix, visitor);
    }
  }

  /** Writes {@code phase} as the status of {@code id} in its own batch; returns what it wrote. */
  List<String> writeStatus(InvocationId id, InvocationStatus.Phase phase, boolean readFirst) {
    try (Store.Batch b = store.begin()) {
      Recording r = new Recording(b);
      Tables t = new Tables(3).on(r);
      if (readFirst) {
        t.status(id);
      }
      if (phase == null) {
        t.deleteStatus(id);
      } else {
        t.putStatus(id, InvocationStatus.newBuilder().setPhase(phase).build());
      }
      b.commit();
      return r.writes;
    }
  }

  @Test
  void theRunningIndexIsWrittenOnlyWhenThePhaseEntersOrLeavesInvoked() {
    var invoked = InvocationStatus.Phase.INVOKED;
    var inboxed = InvocationStatus.Phase.INBOXED;
    var completed = InvocationStatus.Phase.COMPLETED;
    for (boolean readFirst : new boolean[] {true, false}) {
      InvocationId id = id(readFirst ? 1 : 2);
      assertThat(writeStatus(id, inboxed, readFirst)).containsExactly("+S"); // no tombstone
      assertThat(writeStatus(id, invoked, readFirst)).containsExactly("+S", "+R");
      assertThat(writeStatus(id, invoked, readFirst)).containsExactly("+S"); // already indexed
      assertThat(inBatch(Tables::running)).contains(id);
      assertThat(writeStatus(id, completed, readFirst)).containsExactly("+S", "-R");
      assertThat(inBatch(Tables::running)).doesNotContain(id);
      assertThat(writeStatus(id, null, readFirst)).containsExactly("-S");
      assertThat(writeStatus(id, invoked, readFirst)).containsExactly("+S", "+R");
      assertThat(writeStatus(id, null, readFirst)).containsExactly("-S", "-R");
      assertThat(inBatch(Tables::running)).doesNotContain(id);
    }
  }

  @Test
  void severalStatusWritesInOneRecordKeepTheIndexInStep() {
    var invoked = InvocationStatus.Phase.INVOKED;
    var suspended = InvocationStatus.Phase.SUSPENDED;
    InvocationId a = id(10);
    InvocationId b = id(11);
    inBatch(
        t -> {
          t.putStatus(a, InvocationStatus.newBuilder().setPhase(invoked).build());
          t.putStatus(b, InvocationStatus.newBuilder().setPhase(invoked).build());
          t.putStatus(a, InvocationStatus.newBuilder().setPhase(suspended).build());
          return null;
        });
    assertThat(inBatch(Tables::running)).containsExactly(b);
  }
}
