package dev.resolute.server.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces one partition's keys in a running store by those of another store (a snapshot's
 * checkpoint): every key of the partition starts with its u16 (see {@link Keys}), its applied LSN
 * included, so the partition's whole state — tables, dedup, leader epoch, applied LSN — moves at
 * once and the other partitions are not touched. One batch: a reader of the store sees the
 * partition before or after, never half of it.
 */
public final class PartitionCopy {
  private PartitionCopy() {}

  /** The prefix every key of {@code partition} starts with. */
  public static byte[] prefix(int partition) {
    return new byte[] {(byte) (partition >>> 8), (byte) partition};
  }

  /**
   * Deletes every key of {@code partition} in {@code target} and copies the partition's keys of
   * {@code source} into it, in one committed batch. Returns the number of keys copied.
   */
  public static long replace(Txn source, Store target, int partition) {
    byte[] prefix = prefix(partition);
    List<byte[]> stale = new ArrayList<>();
    try (Store.Reader now = target.reader()) {
      now.scan(
          prefix,
          (k, v) -> {
            stale.add(k);
            return true;
          });
    }
    long[] copied = {0};
    try (Store.Batch b = target.begin()) {
      for (byte[] k : stale) {
        b.delete(k);
      }
      source.scan(
          prefix,
          (k, v) -> {
            b.put(k, v);
            copied[0]++;
            return true;
          });
      b.commit();
    }
    return copied[0];
  }
}
