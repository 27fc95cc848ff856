package dev.resolute.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's data directory on its own small tmpfs, so that the suite can fill the disk and free
 * it. Mounting needs root (CI runs as root); elsewhere the data directory stays on the ordinary
 * file system and the run has no full-disk faults, which it says.
 */
final class Disk {
  static final String SIZE = "512m";

  private final Path mount;

  private Disk(Path mount) {
    this.mount = mount;
  }

  /** Mounts a tmpfs on {@code dir} (created), or returns null (and says why) when that fails. */
  static Disk tryMount(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    if (!"0".equals(run("id", "-u").strip())) {
      System.out.println(
          "chaos: not root, so no tmpfs for the data directory: no full-disk faults");
      return null;
    }
    String out = run("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", dir.toString());
    if (!isMountPoint(dir)) {
      System.out.println("chaos: mount -t tmpfs failed (" + out.strip() + "): no full-disk faults");
      return null;
    }
    return new Disk(dir);
  }

  private static boolean isMountPoint(Path dir) throws IOException, InterruptedException {
    return run("mountpoint", "-q", dir.toString()).isEmpty()
        && Files.getFileStore(dir).type().equals("tmpfs");
  }

  /** Writes a ballast file until the file system is full; returns the bytes written. */
  long fill() throws IOException {
    Path ballast = mount.resolve("ballast");
    byte[] chunk = new byte[1 << 20];
    long n = 0;
    try (OutputStream o = Files.newOutputStream(ballast)) {
      while (true) {
        o.write(chunk);
        n += chunk.length;
      }
    } catch (IOException e) {
      // No space left on device: full
    }
    // the last partial chunks, so that not even a small write fits
    try (OutputStream o = Files.newOutputStream(ballast, java.nio.file.StandardOpenOption.APPEND)) {
      byte[] small = new byte[4096];
      while (true) {
        o.write(small);
        n += small.length;
      }
    } catch (IOException e) {
      // full
    }
    return n;
  }

  void free() throws IOException {
    Files.deleteIfExists(mount.resolve("ballast"));
  }

  void unmount() throws IOException, InterruptedException {
    run("umount", "-l", mount.toString());
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
