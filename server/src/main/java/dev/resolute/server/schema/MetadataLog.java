package dev.resolute.server.schema;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.server.log.LocalLog;
import dev.resolute.server.log.Log;
import dev.resolute.server.pb.meta.MetadataRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated metadata of a node — the schema registry ({@link SchemaRegistry}) and the Kafka
 * clusters and subscriptions ({@code kafka.KafkaMetadata}) — kept as records ({@link
 * MetadataRecord}) on a {@link Log} of one partition, the <em>metadata log</em>. Every node applies
 * the records in log order to build its state, so every node ends up with the same state.
 *
 * <p><b>A change</b> is proposed by appending a record ({@link #propose}); whatever it needs that
 * is not deterministic (a new id, a creation time, what discovery found) is in the record. Apply
 * decides whether it is taken, against the state at the record's position: of two conflicting
 * changes appended concurrently (by two nodes), the later one is refused on every node alike. The
 * proposer is answered with the outcome of applying its own record (found by the record's proposal
 * id), which is why its request waits until the record came back through the log and was applied
 * here: for a {@link LocalLog} that is before the append's future completes; for a Kafka log, when
 * the tailing consumer delivers it.
 *
 * <p><b>Durability.</b> A change is answered only after its record is durable in the log (fsync'd
 * by {@link LocalLog}, acknowledged by the in-sync replicas of a Kafka topic) and applied.
 *
 * <p><b>Caches.</b> Each {@link Applier} keeps a cache of its applied state with the LSN it
 * reflects ({@code schema-registry.json}, {@code kafka.json} in the data directory), rewritten
 * after every record, so a start replays only the records after it instead of the whole log (which
 * grows by one record per registration, and an embedded node registers its deployment at every
 * start). The caches are used only when they all name the same LSN (a crash between two cache
 * writes leaves them apart: then the whole log is replayed, which stays correct because the
 * metadata log is never trimmed). A cache ahead of the log (the log was deleted or replaced) stops
 * the start.
 *
 * <p><b>Upgrade.</b> A cache file without an LSN is a data directory's registry or Kafka file from
 * before the metadata log: when the log is empty, its contents are appended once as an import
 * record; when the log already holds records (the import was appended before a crash), the file is
 * ignored and the log replayed.
 *
 * <p><b>How a node uses it.</b> A single node: {@link #local} (a {@link LocalLog} of one partition
 * in {@code <data dir>/metadata}). A cluster node: {@link #on} with a {@code KafkaLog} opened on
 * the one-partition metadata topic, the same on every node:
 *
 * <pre>{@code
 * MetadataLog metadata = MetadataLog.on(KafkaLog.open(metadataTopicOptions, 1), null, nodeName);
 * SchemaRegistry schemas = SchemaRegistry.replicated(metadata, dataDir, defaults, clock);
 * KafkaMetadata kafka = new KafkaMetadata(metadata, dataDir.resolve("kafka.json"), ...);
 * metadata.start(); // replays, imports a legacy file, then follows the log
 * }</pre>
 *
 * Every applier is registered before {@link #start}. Nodes must agree on what apply depends on
 * besides the log: the schema defaults and the Kafka clusters of their configuration.
 */
public final class MetadataLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataLog.class);

  /** The metadata log has one partition. */
  static final int PARTITION = 0;

  /** The directory of the single node's metadata log in the data directory. */
  public static final String LOCAL_DIR = "metadata";

  /** How long a request waits for its record to be applied before it is answered with 500. */
  static final long APPLY_TIMEOUT_SECONDS = 60;

  /** What an applier found in its cache file at start. */
  public record Cache(long lsn, byte[] legacy) {
    /** No file. */
    public static final Cache ABSENT = new Cache(-1, null);

    /** A cache of the state at {@code lsn} (the applier's state was set from it). */
    public static Cache at(long lsn) {
      return new Cache(lsn, null);
    }

    /** A file from before the metadata log: its bytes, imported when the log is empty. */
    public static Cache legacy(byte[] contents) {
      return new Cache(0, contents);
    }
  }

  /**
   * One kind of metadata kept on the log. Its methods are called on the thread that delivers the
   * log's records (one at a time), except {@link #owns}.
   */
  public interface Applier {
    /** Whether records of this kind of change are this applier's. */
    boolean owns(MetadataRecord.ChangeCase change);

    /** Reads the cache file (setting the state from it when it names an LSN). */
    Cache loadCache() throws IOException;

    /** Empties the state: the log is replayed from its start. */
    void reset();

    /**
     * Applies one of its records and returns the outcome handed to the proposer; a refused change
     * throws and leaves the state unchanged. Must be deterministic: the record and the state only.
     */
    Object apply(MetadataRecord record) throws SchemaException;

    /** Writes the cache: the state, which reflects the log up to {@code lsn}. */
    void saveCache(long lsn) throws IOException;

    /** The record that imports a legacy file's contents. */
    MetadataRecord.Builder importRecord(byte[] legacy);

    /** Runs after a record of its own was applied (listeners), outside the apply. */
    default void applied() {}
  }

  private final Log log;
  private final LongSupplier endLsn;
  private final boolean direct;
  private final String proposalPrefix;
  private final AtomicLong proposals = new AtomicLong();
  private final List<Applier> appliers = new ArrayList<>();
  private final Map<String, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();
  private volatile boolean started;

  /** True while {@link #start} replays (set and read on the replaying thread, then false). */
  private volatile boolean replaying;

  /** LSN of the last record applied (written by the delivering thread). */
  private volatile long appliedLsn;

  private MetadataLog(Log log, LongSupplier endLsn, boolean direct, String node) {
    this.log = log;
    this.endLsn = endLsn;
    this.direct = direct;
    byte[] r = new byte[6];
    new SecureRandom().nextBytes(r);
    this.proposalPrefix = (node == null ? "node" : node) + "/" + HexFormat.of().formatHex(r) + "/";
  }

  /**
   * Segment size of a single node's metadata log: its segments are preallocated at this size, and
   * it holds a few schema changes, not the records of every invocation.
   */
  static final long LOCAL_SEGMENT_BYTES = 4L << 20;

  /** A single node's metadata log: a {@link LocalLog} of one partition in {@code dataDir}. */
  public static MetadataLog local(Path dataDir, String node) {
    LocalLog l = LocalLog.open(dataDir.resolve(LOCAL_DIR), 1, LOCAL_SEGMENT_BYTES);
    return new MetadataLog(l, l::lastLsn, false, node);
  }

  /**
   * The metadata log on {@code log}, a log of one partition that every node of the cluster shares
   * (a {@code KafkaLog} on the metadata topic). Closing this closes {@code log}.
   *
   * @param endLsn the log's last LSN, to refuse a cache ahead of it; null when unknown
   */
  public static MetadataLog on(Log log, LongSupplier endLsn, String node) {
    return new MetadataLog(log, endLsn, false, node);
  }

  /**
   * No log: a change is applied as it is proposed (under a lock) and durable through the caches
   * only — a registry kept in its file alone, for tests and tools, as before the metadata log.
   */
  public static MetadataLog direct() {
    return new MetadataLog(new DirectLog(), null, true, "direct");
  }

  /** Registers an applier; all are registered before {@link #start}. */
  public synchronized void register(Applier applier) {
    if (started) {
      throw new IllegalStateException("appliers are registered before the metadata log starts");
    }
    appliers.add(applier);
  }

  /** The LSN of the last record applied on this node. */
  public long appliedLsn() {
    return appliedLsn;
  }

  /**
   * Loads the caches, replays the log after them, follows the log from then on, and imports legacy
   * files into an empty log (waiting until they are applied).
   */
  public void start() {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("the metadata log is started already");
      }
      started = true;
    }
    List<Cache> caches = new ArrayList<>();
    for (Applier a : appliers) {
      try {
        caches.add(a.loadCache());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot read the metadata cache", e);
      }
    }
    long from = from(caches);
    if (direct) {
      ((DirectLog) log).lsn = from;
    }
    appliedLsn = from;
    long t0 = System.nanoTime();
    long[] replayed = {0};
    replaying = true;
    try {
      log.replay(
          new long[] {from},
          (p, lsn, payload) -> {
            replayed[0]++;
            deliver(lsn, payload);
          });
    } finally {
      replaying = false;
    }
    if (replayed[0] > 0) {
      saveCaches(appliedLsn);
      LOG.info(
          "metadata log: {} records replayed after lsn {} in {} ms",
          replayed[0],
          from,
          (System.nanoTime() - t0) / 1_000_000);
    }
    log.subscribe(PARTITION, (p, lsn, payload) -> deliver(lsn, payload));
    boolean empty = appliedLsn == 0;
    for (int i = 0; i < appliers.size(); i++) {
      byte[] legacy = caches.get(i).legacy();
      if (legacy == null) {
        continue;
      }
      if (!empty) {
        LOG.info("metadata log holds records: the file imported earlier is no longer read");
        continue;
      }
      try {
        await(propose(appliers.get(i).importRecord(legacy)));
        LOG.info("imported the node's metadata file into the metadata log");
      } catch (SchemaException e) {
        // another node imported first: the log holds its state
        LOG.warn("metadata file not imported: {}", e.getMessage());
      }
    }
  }

  /** Where replay starts: the caches' LSN if they agree, else 0 (with the states emptied). */
  private long from(List<Cache> caches) {
    boolean legacy = caches.stream().anyMatch(c -> c.legacy() != null);
    boolean absent = caches.stream().allMatch(c -> c.lsn() < 0);
    long lsn = caches.isEmpty() ? 0 : caches.get(0).lsn();
    boolean agree = !legacy && caches.stream().allMatch(c -> c.lsn() == lsn);
    if (agree && lsn > 0) {
      long end = endLsn == null ? Long.MAX_VALUE : endLsn.getAsLong();
      if (lsn > end) {
        throw new IllegalStateException(
            "the metadata cache reflects the metadata log up to lsn "
                + lsn
                + " but the log ends at lsn "
                + end
                + ": was the metadata log deleted or replaced? refusing to start");
      }
      return lsn;
    }
    if (direct && !legacy) {
      // no log to replay: the caches are all there is
      return Math.max(0, caches.stream().mapToLong(Cache::lsn).max().orElse(0));
    }
    if (!legacy && !absent) {
      LOG.warn("the metadata caches name different log positions: replaying the whole log");
    }
    appliers.forEach(Applier::reset);
    return 0;
  }

  /**
   * Appends a change; completes with the outcome of applying it on this node (or a {@link
   * SchemaException} when apply refused it or it could not be appended).
   */
  public CompletableFuture<Object> propose(MetadataRecord.Builder change) {
    String id = proposalPrefix + proposals.incrementAndGet();
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    waiting.put(id, outcome);
    log.append(PARTITION, change.setProposal(id).build().toByteArray())
        .whenComplete(
            (lsn, err) -> {
              if (err != null) {
                waiting.remove(id);
                Throwable cause =
                    err instanceof java.util.concurrent.CompletionException c ? c.getCause() : err;
                outcome.completeExceptionally(
                    new SchemaException(
                        500,
                        null,
                        "cannot append the change to the metadata log: " + cause.getMessage()));
              }
            });
    return outcome;
  }

  /** Waits for a proposal's outcome. */
  public static <T> T await(CompletableFuture<T> outcome) throws SchemaException {
    try {
      return outcome.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.util.concurrent.CompletionException c && c.getCause() != null) {
        cause = c.getCause();
      }
      if (cause instanceof SchemaException s) {
        throw s;
      }
      throw new SchemaException(500, null, "the metadata change failed: " + cause);
    } catch (TimeoutException e) {
      throw new SchemaException(
          500,
          null,
          "the metadata change was not applied within "
              + APPLY_TIMEOUT_SECONDS
              + "s (it may still be): the metadata log is not making progress");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaException(500, null, "interrupted while waiting for the metadata log");
    }
  }

  /** Applies one committed record (on the delivering thread) and answers its proposer. */
  private void deliver(long lsn, byte[] payload) {
    if (lsn <= appliedLsn) {
      return; // reflected in the caches already
    }
    MetadataRecord record;
    try {
      record = MetadataRecord.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      LOG.error("metadata record at lsn {} cannot be read: skipped on every node", lsn, e);
      appliedLsn = lsn;
      return;
    }
    Applier owner = null;
    for (Applier a : appliers) {
      if (a.owns(record.getChangeCase())) {
        owner = a;
        break;
      }
    }
    Object outcome = null;
    SchemaException refused = null;
    if (owner == null) {
      refused = new SchemaException(500, null, "unknown metadata change " + record.getChangeCase());
    } else {
      try {
        outcome = owner.apply(record);
      } catch (SchemaException e) {
        refused = e;
      } catch (RuntimeException e) {
        LOG.error("metadata record at lsn {} failed to apply: refused", lsn, e);
        refused = new SchemaException(500, null, "the metadata change failed: " + e);
      }
    }
    appliedLsn = lsn;
    if (replaying) {
      return;
    }
    saveCaches(lsn);
    if (owner != null && refused == null) {
      owner.applied();
    }
    CompletableFuture<Object> w = waiting.remove(record.getProposal());
    if (w != null) {
      if (refused != null) {
        w.completeExceptionally(refused);
      } else {
        w.complete(outcome);
      }
    }
  }

  private void saveCaches(long lsn) {
    for (Applier a : appliers) {
      try {
        a.saveCache(lsn);
      } catch (IOException | RuntimeException e) {
        // the caches now name different positions: the next start replays the whole log
        LOG.error("cannot write the metadata cache at lsn {}", lsn, e);
      }
    }
  }

  @Override
  public void close() {
    log.close();
    SchemaException closed = new SchemaException(503, null, "the metadata log is closed");
    waiting.values().forEach(w -> w.completeExceptionally(closed));
    waiting.clear();
  }

  /** Applies each record as it is appended, on the appending thread, under a lock. */
  private static final class DirectLog implements Log {
    private RecordConsumer consumer;
    private long lsn;

    @Override
    public synchronized CompletableFuture<Long> append(int partition, byte[] payload) {
      long l = ++lsn;
      if (consumer != null) {
        consumer.accept(partition, l, payload);
      }
      return CompletableFuture.completedFuture(l);
    }

    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {}

    @Override
    public synchronized void subscribe(int partition, RecordConsumer consumer) {
      this.consumer = consumer;
    }

    @Override
    public void close() {}
  }
}
