package dev.resolute.server.partition;

/** Maps partition keys (u64) to partitions: N equal ranges over the unsigned 64-bit space. */
public final class Partitioning {
  private final int partitions;
  private final long rangeSize;

  public Partitioning(int partitions) {
    if (partitions < 1 || partitions > 65535) {
      throw new IllegalArgumentException("number of partitions must be in 1..65535");
    }
    this.partitions = partitions;
    // ceil(2^64 / n) as unsigned
    this.rangeSize = partitions == 1 ? 0 : Long.divideUnsigned(-1L, partitions) + 1;
  }

  public int count() {
    return partitions;
  }

  public int partitionOf(long partitionKey) {
    if (partitions == 1) {
      return 0;
    }
    return (int) Long.divideUnsigned(partitionKey, rangeSize);
  }
}
