package dev.resolute.server.storage;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Run by hand, one JVM per open (the cost that matters is a cold start's): the wall and CPU time of
 * {@code RocksDB.loadLibrary()} and of opening a copy of a store left by a SIGKILL, with the
 * options {@link RocksStore#open} uses plus one variant. {@code java -cp ... RocksOpenMeasure DB
 * VARIANT}, VARIANT one of {@code base, skip-stats, skip-sizes, no-paranoid, one-opener, all}.
 */
public final class RocksOpenMeasure {
  public static void main(String[] args) throws Exception {
    Path source = Path.of(args[0]);
    String variant = args[1];
    Path copy = Files.createTempDirectory("rocks-open-");
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    var threads = ManagementFactory.getThreadMXBean();
    long w0 = System.nanoTime();
    long c0 = threads.getCurrentThreadCpuTime();
    RocksDB.loadLibrary();
    long w1 = System.nanoTime();
    long c1 = threads.getCurrentThreadCpuTime();
    Options o = RocksStore.options();
    boolean all = variant.equals("all");
    if (all || variant.equals("skip-stats")) {
      o.setSkipStatsUpdateOnDbOpen(true);
    }
    if (all || variant.equals("skip-sizes")) {
      o.setSkipCheckingSstFileSizesOnDbOpen(true);
    }
    if (all || variant.equals("no-paranoid")) {
      o.setParanoidChecks(false);
    }
    if (all || variant.equals("one-opener")) {
      o.setMaxFileOpeningThreads(1);
    }
    long pc0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    long w2 = System.nanoTime();
    RocksDB db = RocksDB.open(o, copy.toString());
    long w3 = System.nanoTime();
    long pc1 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    System.out.printf(
        "%s: loadLibrary %d ms (cpu %d), open %d ms (process cpu %d), %d files%n",
        variant,
        (w1 - w0) / 1_000_000,
        (c1 - c0) / 1_000_000,
        (w3 - w2) / 1_000_000,
        (pc1 - pc0) / 1_000_000,
        List.of(copy.toFile().list()).size());
    db.close();
    try (Stream<Path> s = Files.walk(copy)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
