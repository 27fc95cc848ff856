package dev.resolute.server.cluster.snapshot;

import dev.resolute.server.config.SnapshotsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where snapshots are kept: a flat key space of immutable objects ({@code /}-separated keys below
 * the destination's path or prefix). Every operation either completes or throws; {@link #put} makes
 * an object visible whole or not at all (a reader never sees half an object), which is all {@link
 * Snapshots} needs for its rule that a snapshot exists once its manifest does.
 */
public interface SnapshotRepository extends AutoCloseable {
  /** Stores {@code file} under {@code key}, replacing nothing (keys are never reused). */
  void put(String key, Path file) throws IOException;

  /** Stores {@code bytes} under {@code key}, durably, visible whole or not at all. */
  void put(String key, byte[] bytes) throws IOException;

  /** Copies the object {@code key} to {@code target}; throws if it does not exist. */
  void get(String key, Path target) throws IOException;

  /** The object {@code key}, or null if it does not exist. */
  byte[] get(String key) throws IOException;

  /** Every key that starts with {@code prefix}, in no particular order. */
  List<String> list(String prefix) throws IOException;

  /** Deletes {@code key}; nothing if it does not exist. */
  void delete(String key) throws IOException;

  /** The size of the object {@code key} in bytes, or -1 if it does not exist. */
  long size(String key) throws IOException;

  @Override
  void close();

  /** The repository a configuration names ({@code file://} or {@code s3://}). */
  static SnapshotRepository open(SnapshotsConfig config) {
    java.net.URI u = java.net.URI.create(config.destination());
    return switch (u.getScheme()) {
      case "file" -> new DirectoryRepository(Path.of(u.getPath()));
      case "s3" -> S3Repository.open(config);
      default ->
          throw new IllegalArgumentException("no snapshot repository for " + config.destination());
    };
  }
}
