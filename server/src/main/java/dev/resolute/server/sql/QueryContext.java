package dev.resolute.server.sql;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.storage.Store;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What the scans of one query read: one store snapshot (opened on first use, closed by the engine
 * when the query ends, so every table of a query — and every partition — sees the same moment), the
 * partitioning, the schema registry, and the query's cancel flag, checked between rows.
 */
final class QueryContext implements AutoCloseable {
  final Partitioning partitioning;
  final SchemaRegistry registry;
  final String version;
  private final Supplier<Store.Reader> readers;
  private Store.Reader reader;
  private volatile AtomicBoolean cancel = new AtomicBoolean();

  /**
   * The columns (by index) the scan running now must fill, or null for all: set by the engine
   * around each table scan (tables that can skip work read it, see {@code
   * SysTable.row(boolean[])}).
   */
  boolean[] wanted;

  QueryContext(
      Supplier<Store.Reader> readers,
      Partitioning partitioning,
      SchemaRegistry registry,
      String version) {
    this.readers = readers;
    this.partitioning = partitioning;
    this.registry = registry;
    this.version = version;
  }

  synchronized Store.Reader reader() {
    if (reader == null) {
      reader = readers.get();
    }
    return reader;
  }

  void cancelFlag(AtomicBoolean flag) {
    if (flag != null) {
      cancel = flag;
    }
  }

  /** Throws once the query was cancelled (time limit, closed connection). */
  void check() {
    if (cancel.get()) {
      throw new CancellationException("the query was cancelled");
    }
  }

  /** The partition of an invocation id, or -1 when the text is not an invocation id. */
  int partitionOfId(String id) {
    try {
      return partitioning.partitionOf(InvocationId.parse(id).partitionKey());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * The partitions that can hold keyed rows (state, inbox, locks, promises) restricted to these
   * keys, or every partition when {@code keys} is null.
   */
  Set<Integer> partitionsOfKeys(Set<String> keys) {
    Set<Integer> out = new TreeSet<>();
    if (keys == null) {
      for (int p = 0; p < partitioning.count(); p++) {
        out.add(p);
      }
    } else {
      for (String k : keys) {
        out.add(partitioning.partitionOf(PartitionKeys.keyed(k)));
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
