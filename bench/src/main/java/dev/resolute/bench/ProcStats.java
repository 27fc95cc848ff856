package dev.resolute.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time and memory of processes, and of the whole machine, read from /proc (Linux only). */
public final class ProcStats {
  private ProcStats() {}

  /** Clock ticks per second of /proc times; 100 on every Linux this runs on (USER_HZ). */
  public static final int HZ = 100;

  /** User + system CPU time of a process (all its threads), in milliseconds; -1 if gone. */
  public static long cpuMillis(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // after the command: state(3) ... utime(14) stime(15): indices 11 and 12 here
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / HZ;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size in KiB (VmRSS); -1 if gone. */
  public static long rssKib(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** {busy, total} jiffies of all CPUs since boot (busy excludes idle and iowait). */
  public static long[] machineJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 1};
    }
  }

  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** Sum of the sizes of the regular files under {@code dir}, in bytes. */
  public static long diskBytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
