import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What one small log write + fdatasync costs on this machine's file system, for the three ways a
 * log segment can be laid out: (a) growing (every write extends the file, so fdatasync also
 * commits the new size), (b) preallocated by writing zeros and fsyncing once (writes overwrite
 * allocated, written blocks), (c) sparse from setLength (size set, blocks unallocated/unwritten).
 *
 * <p>Run: {@code nice -n 10 java bench/fsync/FsyncBench.java [dir] [writes-per-round] [rounds]
 * [bytes-per-write]}; results in {@code bench/fsync/README.md}.
 * Rounds alternate the modes so that noise from other processes spreads over all three.
 */
public final class FsyncBench {
  static int WRITE = 200;

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    WRITE = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    long fileBytes = Math.max(1L << 20, (long) n * WRITE * 2);
    String[] modes = {"growing", "prealloc-zeros", "sparse-setLength"};
    long[][] all = new long[3][0];
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < 3; m++) {
        int mode = (m + r) % 3;
        Path f = Files.createTempFile(dir, "fsyncbench-", ".seg");
        try {
          long[] t = run(f, mode, n, fileBytes);
          if (r > 0 || rounds == 1) { // first round is warm-up
            long[] joined = Arrays.copyOf(all[mode], all[mode].length + t.length);
            System.arraycopy(t, 0, joined, all[mode].length, t.length);
            all[mode] = joined;
          }
        } finally {
          Files.deleteIfExists(f);
        }
      }
    }
    System.out.printf("%-18s %8s %8s %8s %8s %8s%n", "mode", "n", "median", "mean", "p90", "p99");
    for (int m = 0; m < 3; m++) {
      long[] t = all[m];
      Arrays.sort(t);
      double mean = Arrays.stream(t).average().orElse(0);
      System.out.printf(
          "%-18s %8d %8.3f %8.3f %8.3f %8.3f  (ms per %d-byte write+force(false))%n",
          modes[m], t.length, ms(t[t.length / 2]), mean / 1e6, ms(t[(int) (t.length * 0.9)]),
          ms(t[(int) (t.length * 0.99)]), WRITE);
    }
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static long[] run(Path f, int mode, int n, long fileBytes) throws IOException {
    if (mode == 1) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = 0; at < fileBytes; ) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), fileBytes - at));
          at += ch.write(zeros, at);
        }
        ch.force(true);
      }
    } else if (mode == 2) {
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(fileBytes);
        raf.getChannel().force(true);
      }
    }
    long[] t = new long[n];
    ByteBuffer rec = ByteBuffer.allocateDirect(WRITE);
    for (int i = 0; i < WRITE; i++) {
      rec.put(i, (byte) (i + 1));
    }
    try (FileChannel ch =
        mode == 0
            ? FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
            : FileChannel.open(f, StandardOpenOption.WRITE)) {
      long pos = 0;
      for (int i = 0; i < n; i++) {
        rec.clear();
        long t0 = System.nanoTime();
        while (rec.hasRemaining()) {
          pos += mode == 0 ? ch.write(rec) : ch.write(rec, pos);
        }
        ch.force(false);
        t[i] = System.nanoTime() - t0;
      }
    }
    return t;
  }
}
