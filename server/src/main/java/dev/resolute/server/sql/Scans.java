package dev.resolute.server.sql;

import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.storage.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/** Reading the partitions' key layout ({@link Keys}) for the scans of the tables. */
final class Scans {
  private Scans() {}

  /** The partitions a filter on {@code partition_key} leaves, else every partition. */
  static Set<Integer> partitions(QueryContext cx, Pushdown filter) {
    Set<Object> keys = filter.values("partition_key");
    Set<Integer> out = new TreeSet<>();
    if (keys == null) {
      for (int p = 0; p < cx.partitioning.count(); p++) {
        out.add(p);
      }
      return out;
    }
    for (Object k : keys) {
      if (k instanceof Long l) {
        out.add(cx.partitioning.partitionOf(l));
      }
    }
    return out;
  }

  /**
   * Visits the rows of a keyed table ({@code tag ‖ str(service) ‖ str(key) ‖ …}) that the filter on
   * {@code service_name} and {@code service_key} can contain: one prefix per (service, key) pair
   * when both are given, one per service when only the service is, the whole table otherwise; only
   * the partitions of the given keys are read.
   */
  static void keyed(
      QueryContext cx, Pushdown filter, byte tag, BiPredicate<byte[], byte[]> visitor) {
    Set<String> services = filter.strings("service_name");
    Set<String> keys = filter.strings("service_key");
    Set<Integer> partitions = cx.partitionsOfKeys(keys);
    partitions.retainAll(partitions(cx, filter));
    for (int p : partitions) {
      List<byte[]> prefixes = new ArrayList<>();
      if (services == null) {
        prefixes.add(Keys.of(p, tag).build());
      } else if (keys == null) {
        for (String s : services) {
          prefixes.add(Keys.of(p, tag).str(s).build());
        }
      } else {
        for (String s : services) {
          for (String k : keys) {
            prefixes.add(Keys.of(p, tag).str(s).str(k).build());
          }
        }
      }
      for (byte[] prefix : prefixes) {
        cx.reader()
            .scan(
                prefix,
                (k, v) -> {
                  cx.check();
                  return visitor.test(k, v);
                });
      }
    }
  }

  /**
   * The invocation partition keys a filter leaves for a table keyed by invocation id ({@code tag ‖
   * id}, the id's first 8 bytes its partition key): the values of {@code partition_key}, and the
   * partition key of each value of {@code keyColumn} (an object's or workflow's key: every id of a
   * keyed target carries {@code PartitionKeys.keyed(key)}), intersected when both are given; null
   * when neither is. Each partition key is then one prefix scan ({@code tag ‖ partition key}).
   */
  static Set<Long> invocationPartitionKeys(Pushdown filter, String keyColumn) {
    Set<Long> out = null;
    Set<String> keys = keyColumn == null ? null : filter.strings(keyColumn);
    if (keys != null) {
      out = new TreeSet<>();
      for (String k : keys) {
        out.add(PartitionKeys.keyed(k));
      }
    }
    Set<Object> given = filter.values("partition_key");
    if (given != null) {
      Set<Long> pks = new TreeSet<>();
      for (Object o : given) {
        if (o instanceof Long l) {
          pks.add(l);
        }
      }
      if (out == null) {
        out = pks;
      } else {
        out.retainAll(pks);
      }
    }
    return out;
  }

  /** A cursor over the fields of a key after its {@link Keys#HEADER}. */
  static final class KeyReader {
    private final ByteBuffer b;

    KeyReader(byte[] key) {
      this.b = ByteBuffer.wrap(key);
      b.position(Keys.HEADER);
    }

    String str() {
      return new String(lenBytes(), StandardCharsets.UTF_8);
    }

    byte[] lenBytes() {
      int n = b.getInt();
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    byte[] bytes(int n) {
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    long u64() {
      return b.getLong();
    }

    int u32() {
      return b.getInt();
    }
  }
}
