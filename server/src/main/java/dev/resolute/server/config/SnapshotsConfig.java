package dev.resolute.server.config;

import java.net.URI;
import java.time.Duration;

/**
 * {@code [worker.snapshots]}: the snapshot repository of cluster mode, with restate-server's key
 * names and meanings. A snapshot is a RocksDB checkpoint of a node's store with the log position it
 * covers; a node with an empty store, or one behind the log's trim point, restores the latest one
 * before it follows the log, and the log topic is trimmed below the oldest snapshot kept.
 *
 * @param destination {@code destination}: {@code file:///path} (a directory every node can reach)
 *     or {@code s3://bucket[/prefix]}; null: no snapshots (the log topic is never trimmed)
 * @param intervalNumRecords {@code snapshot-interval-num-records}: a snapshot is taken once a
 *     partition applied this many records since the last one; null: no record condition
 * @param interval {@code snapshot-interval}: ... or once this long passed since the last one; with
 *     both set, both conditions must hold (as restate-server); neither: no automatic snapshots
 * @param numRetained {@code num-retained}: complete snapshots kept in the repository (1..255,
 *     default 1, restate-server's); older ones are deleted and the log is trimmed below the oldest
 *     kept
 * @param awsProfile {@code aws-profile}: named profile of the AWS configuration files
 * @param awsRegion {@code aws-region}: the region requests are signed for
 * @param awsAccessKeyId {@code aws-access-key-id}: static credentials (with the secret key)
 * @param awsSecretAccessKey {@code aws-secret-access-key}
 * @param awsSessionToken {@code aws-session-token}: short-term STS credentials
 * @param awsEndpointUrl {@code aws-endpoint-url}: an S3-compatible store's endpoint (path-style
 *     requests)
 * @param awsAllowHttp {@code aws-allow-http}: required for an {@code http://} endpoint
 */
public record SnapshotsConfig(
    String destination,
    Long intervalNumRecords,
    Duration interval,
    int numRetained,
    String awsProfile,
    String awsRegion,
    String awsAccessKeyId,
    String awsSecretAccessKey,
    String awsSessionToken,
    String awsEndpointUrl,
    boolean awsAllowHttp) {
  public static final int DEFAULT_NUM_RETAINED = 1;

  public SnapshotsConfig {
    if (destination != null) {
      URI u;
      try {
        u = new URI(destination);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException(
            "worker.snapshots.destination is not a URL: " + e.getMessage());
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme();
      switch (scheme) {
        case "file" -> {
          if (u.getPath() == null || u.getPath().isEmpty() || !u.getPath().startsWith("/")) {
            throw new IllegalArgumentException(
                "worker.snapshots.destination file:// needs an absolute path (file:///path), got '"
                    + destination
                    + "'");
          }
        }
        case "s3" -> {
          if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException(
                "worker.snapshots.destination s3:// needs a bucket (s3://bucket/prefix), got '"
                    + destination
                    + "'");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "worker.snapshots.destination must be file:///path or s3://bucket/prefix, got '"
                    + destination
                    + "'");
      }
      if ((awsAccessKeyId == null) != (awsSecretAccessKey == null)) {
        throw new IllegalArgumentException(
            "worker.snapshots.aws-access-key-id and aws-secret-access-key must be set together");
      }
      if (awsEndpointUrl != null) {
        URI e;
        try {
          e = new URI(awsEndpointUrl);
        } catch (java.net.URISyntaxException x) {
          throw new IllegalArgumentException(
              "worker.snapshots.aws-endpoint-url is not a URL: " + x.getMessage());
        }
        if ("http".equals(e.getScheme()) && !awsAllowHttp) {
          throw new IllegalArgumentException(
              "worker.snapshots.aws-endpoint-url is plain http: set worker.snapshots.aws-allow-http"
                  + " = true to allow it");
        }
        if (!"http".equals(e.getScheme()) && !"https".equals(e.getScheme())) {
          throw new IllegalArgumentException(
              "worker.snapshots.aws-endpoint-url must be an http(s):// URL, got '"
                  + awsEndpointUrl
                  + "'");
        }
      }
    }
    if (intervalNumRecords != null && intervalNumRecords < 1) {
      throw new IllegalArgumentException(
          "worker.snapshots.snapshot-interval-num-records must be at least 1");
    }
    if (interval != null && interval.isZero()) {
      throw new IllegalArgumentException("worker.snapshots.snapshot-interval must not be 0");
    }
    if (numRetained < 1 || numRetained > 255) {
      throw new IllegalArgumentException(
          "worker.snapshots.num-retained must be in 1..255, got " + numRetained);
    }
  }

  public static SnapshotsConfig defaults() {
    return new SnapshotsConfig(
        null, null, null, DEFAULT_NUM_RETAINED, null, null, null, null, null, null, false);
  }

  /** A repository is configured (restores, and snapshots when an interval is set). */
  public boolean enabled() {
    return destination != null;
  }

  /** Snapshots are taken automatically. */
  public boolean automatic() {
    return enabled() && (intervalNumRecords != null || interval != null);
  }
}
