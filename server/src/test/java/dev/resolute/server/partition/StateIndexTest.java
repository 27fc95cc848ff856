package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The state index: an object without state is answered without a scan, an object with state is
 * always found, and a store written before the index existed gets it built by the state machine's
 * first read of state.
 */
class StateIndexTest {
  final Store store = new MemoryStore();
  final List<String> scans = new ArrayList<>();

  /** The batch, with every scan of the state table recorded. */
  Store.Batch counting(Store.Batch b) {
    return new Store.Batch() {
      @Override
      public byte[] get(byte[] key) {
        return b.get(key);
      }

      @Override
      public void put(byte[] key, byte[] value) {
        b.put(key, value);
      }

      @Override
      public void delete(byte[] key) {
        b.delete(key);
      }

      @Override
      public void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        if (prefix[2] == Keys.STATE) {
          scans.add(new String(prefix, 3, prefix.length - 3, StandardCharsets.ISO_8859_1));
        }
        b.scan(prefix, visitor);
      }

      @Override
      public void commit() {
        b.commit();
      }

      @Override
      public void close() {
        b.close();
      }
    };
  }

  List<byte[][]> state(Tables t, String service, String key) {
    return inBatch(t, x -> x.allState(service, key));
  }

  <T> T inBatch(Tables t, Function<Tables, T> body) {
    try (Store.Batch b = store.begin()) {
      T r = body.apply(t.on(counting(b)));
      b.commit();
      return r;
    }
  }

  byte[] stored(byte[] key) {
    try (Store.Reader r = store.reader()) {
      return r.get(key);
    }
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> names(List<byte[][]> entries) {
    List<String> out = new ArrayList<>();
    for (byte[][] e : entries) {
      out.add(
          new String(e[0], StandardCharsets.UTF_8)
              + "="
              + new String(e[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The state machine's tables: a fresh cache each time, so every read goes to the store. */
  Tables machine() {
    return new Tables(3, new StateCache());
  }

  @Test
  void anObjectWithoutStateIsAnsweredWithoutAScan() {
    Tables t = machine();
    inBatch(t, x -> x.allState("Flow", "new")); // builds the (empty) index
    scans.clear();
    assertThat(state(machine(), "Flow", "other")).isEmpty();
    assertThat(scans).isEmpty();
  }

  @Test
  void anObjectWithStateIsFoundThroughFreshTablesAndAfterDeletes() {
    inBatch(
        machine(),
        x -> {
          x.putState("Counter", "a", b("n"), b("1"));
          x.putState("Counter", "a", b("m"), b("2"));
          return null;
        });
    assertThat(names(inBatch(machine(), x -> x.allState("Counter", "a"))))
        .containsExactly("m=2", "n=1");
    // a single delete keeps the index entry: the other entry is still found
    inBatch(
        machine(),
        x -> {
          x.deleteState("Counter", "a", b("m"));
          return null;
        });
    assertThat(names(inBatch(machine(), x -> x.allState("Counter", "a")))).containsExactly("n=1");
    // read-only tables (no cache) see the same
    assertThat(names(inBatch(new Tables(3), x -> x.allState("Counter", "a"))))
        .containsExactly("n=1");
    // cleared: the index entry goes too, and state written again is found again
    inBatch(
        machine(),
        x -> {
          x.clearState("Counter", "a");
          return null;
        });
    assertThat(stored(Keys.of(3, Keys.STATE_INDEX).str("Counter").str("a").build())).isNull();
    assertThat(state(machine(), "Counter", "a")).isEmpty();
    inBatch(
        machine(),
        x -> {
          x.putState("Counter", "a", b("z"), b("3"));
          return null;
        });
    assertThat(names(inBatch(machine(), x -> x.allState("Counter", "a")))).containsExactly("z=3");
  }

  @Test
  void stateWrittenInTheSameBatchAsAnEmptyReadIsFound() {
    Tables t = machine();
    assertThat(
            names(
                inBatch(
                    t,
                    x -> {
                      x.allState("Flow", "w"); // caches the object as empty
                      x.putState("Flow", "w", b("s"), b("v"));
                      return x.allState("Flow", "w");
                    })))
        .containsExactly("s=v");
    assertThat(names(inBatch(machine(), x -> x.allState("Flow", "w")))).containsExactly("s=v");
  }

  @Test
  void aStoreWithoutTheIndexGetsItOnTheStateMachinesFirstRead() {
    // state as a store written before the index existed holds it: entries, no index, no flag
    try (Store.Batch b = store.begin()) {
      for (String key : List.of("a", "b", "ü")) {
        for (String name : List.of("x", "y")) {
          b.put(Keys.of(3, Keys.STATE).str("Counter").str(key).lenBytes(b(name)).build(), b(key));
        }
      }
      b.commit();
    }
    // read-only tables scan while the index is incomplete, and write nothing
    assertThat(names(inBatch(new Tables(3), x -> x.allState("Counter", "b"))))
        .containsExactly("x=b", "y=b");
    assertThat(stored(Keys.of(3, Keys.STATE_INDEX).str("Counter").str("b").build())).isNull();
    // the state machine's first read builds the index for every object
    assertThat(state(machine(), "Other", "none")).isEmpty();
    for (String key : List.of("a", "b", "ü")) {
      assertThat(stored(Keys.of(3, Keys.STATE_INDEX).str("Counter").str(key).build()))
          .as(key)
          .isNotNull();
    }
    scans.clear();
    assertThat(names(inBatch(machine(), x -> x.allState("Counter", "ü"))))
        .containsExactly("x=ü", "y=ü");
    assertThat(state(machine(), "Counter", "c")).isEmpty();
    assertThat(scans).hasSize(1); // only the object that has state was scanned
  }

  @Test
  void aReplacedStoreIsAskedAgainWhetherItsIndexIsComplete() {
    Tables t = machine();
    inBatch(t, x -> x.allState("Flow", "x")); // index complete, remembered
    // the partition's keys are replaced by a copy written before the index existed
    try (Store.Batch b = store.begin()) {
      b.delete(Keys.of(3, Keys.META).str("state_indexed").build());
      b.put(Keys.of(3, Keys.STATE).str("Flow").str("x").lenBytes(b("s")).build(), b("v"));
      b.commit();
    }
    t.storeReplaced();
    assertThat(names(inBatch(t, x -> x.allState("Flow", "x")))).containsExactly("s=v");
  }
}
