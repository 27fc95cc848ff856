package dev.resolute.server.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a snapshot is: its id, the cluster's log topic and partition count it belongs to, the log
 * position it covers (each partition's applied LSN in the checkpoint: LSN {@code n} means the
 * records at Kafka offsets below {@code n} are in it, so a node restoring it replays from offset
 * {@code n}), the node that took it, and its files with their sizes. Written to the repository
 * last, as {@code snapshots/<id>/manifest.json}: a snapshot without one is not a snapshot.
 *
 * @param id sortable: {@code <epoch millis, 13 digits>-<node id, 5 digits>}
 */
public record SnapshotManifest(
    String id,
    String topic,
    int partitions,
    int nodeId,
    long createdAtMillis,
    long[] appliedLsns,
    List<FileEntry> files) {
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public record FileEntry(String name, long size) {}

  public static String newId(long millis, int nodeId) {
    return String.format("%013d-%05d", millis, nodeId);
  }

  /** The epoch millis an id was made at, or -1 if the id is not of {@link #newId}'s form. */
  static long millisOf(String id) {
    int dash = id.indexOf('-');
    try {
      return dash == 13 ? Long.parseLong(id.substring(0, dash)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public long totalBytes() {
    return files.stream().mapToLong(FileEntry::size).sum();
  }

  byte[] toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT);
    o.put("id", id);
    o.put("topic", topic);
    o.put("partitions", partitions);
    o.put("node_id", nodeId);
    o.put("created_at_millis", createdAtMillis);
    var lsns = o.putArray("applied_lsns");
    for (long l : appliedLsns) {
      lsns.add(l);
    }
    var fs = o.putArray("files");
    for (FileEntry f : files) {
      fs.addObject().put("name", f.name()).put("size", f.size());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static SnapshotManifest parse(byte[] json) throws IOException {
    JsonNode o = JSON.readTree(json);
    if (o == null || o.path("format").asInt() != FORMAT) {
      throw new IOException("not a snapshot manifest of format " + FORMAT);
    }
    JsonNode lsns = o.path("applied_lsns");
    long[] applied = new long[lsns.size()];
    for (int i = 0; i < applied.length; i++) {
      applied[i] = lsns.get(i).asLong();
    }
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode f : o.path("files")) {
      files.add(new FileEntry(f.path("name").asText(), f.path("size").asLong()));
    }
    int partitions = o.path("partitions").asInt();
    if (applied.length != partitions || partitions < 1) {
      throw new IOException("a manifest with " + applied.length + " LSNs for " + partitions);
    }
    return new SnapshotManifest(
        o.path("id").asText(),
        o.path("topic").asText(),
        partitions,
        o.path("node_id").asInt(),
        o.path("created_at_millis").asLong(),
        applied,
        List.copyOf(files));
  }

  @Override
  public String toString() {
    return "snapshot "
        + id
        + " (node "
        + nodeId
        + ", applied LSNs "
        + java.util.Arrays.toString(appliedLsns)
        + ", "
        + files.size()
        + " files, "
        + totalBytes()
        + " bytes)";
  }
}
