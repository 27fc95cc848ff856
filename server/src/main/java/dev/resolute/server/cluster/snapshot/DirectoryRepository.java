package dev.resolute.server.cluster.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A snapshot repository in a directory (a shared file system every node mounts): a key is a
 * relative path. An object is written to a temporary file beside its place, synced, then renamed
 * into place (atomic on one file system) and the directory synced: a reader sees it whole or not at
 * all, and after a crash it is there whole or not at all. Temporary files start with {@code .tmp-}
 * and are never listed.
 */
public final class DirectoryRepository implements SnapshotRepository {
  private final Path root;

  public DirectoryRepository(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path path(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root) || key.isEmpty()) {
      throw new IllegalArgumentException("key outside the repository: " + key);
    }
    return p;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = path(key);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
    try {
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      install(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Path target = path(key);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
    try {
      Files.write(tmp, bytes);
      install(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void install(Path tmp, Path target) throws IOException {
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "snapshot keys are not reused");
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.getParent());
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the rename itself is still atomic
    }
  }

  @Override
  public void get(String key, Path target) throws IOException {
    Files.copy(path(key), target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return Files.readAllBytes(path(key));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
          .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
          .filter(k -> k.startsWith(prefix))
          .forEach(out::add);
    } catch (java.io.UncheckedIOException e) {
      // a snapshot deleted while listed: list again
      return list(prefix);
    }
    return out;
  }

  @Override
  public void delete(String key) throws IOException {
    Path p = path(key);
    Files.deleteIfExists(p);
    // drop directories left empty, up to the root
    for (Path d = p.getParent(); d != null && !d.equals(root) && d.startsWith(root); ) {
      try {
        Files.delete(d);
      } catch (IOException e) {
        break; // not empty (or gone)
      }
      d = d.getParent();
    }
  }

  @Override
  public long size(String key) throws IOException {
    Path p = path(key);
    return Files.isRegularFile(p) ? Files.size(p) : -1;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "file://" + root;
  }
}
