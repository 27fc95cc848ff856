package dev.resolute.server.storage;

import java.util.Arrays;
import java.util.function.BiPredicate;

/**
 * A read-your-writes transaction over one key space, used by the deterministic state machine. Keys
 * compare as unsigned bytes.
 */
public interface Txn {
  byte[] get(byte[] key);

  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** Visits keys starting with {@code prefix}, in order, until the visitor returns false. */
  void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor);

  /**
   * Visits keys starting with {@code prefix} that are {@code >= from}, in order, until the visitor
   * returns false. Stores that can seek override this; the default filters a prefix scan.
   */
  default void scanFrom(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
    scan(prefix, (k, v) -> Arrays.compareUnsigned(k, from) < 0 || visitor.test(k, v));
  }
}
