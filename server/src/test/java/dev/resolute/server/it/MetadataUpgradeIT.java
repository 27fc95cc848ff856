package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A data directory from before the metadata log (the schema registry in {@code
 * schema-registry.json} alone, no {@code metadata/} log) keeps working: the first start imports the
 * file into the metadata log once, deployments keep their ids, services stay invocable, and later
 * starts (a clean one and a {@code kill -9}) read the metadata log and its cache.
 */
@Timeout(240)
class MetadataUpgradeIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aDataDirectoryFromBeforeTheMetadataLogKeepsItsRegistry() throws Exception {
    try (Harness h = Harness.resolute("metadata-upgrade")) {
      assertThat(h.call("/Counter/up1/add", "5").body()).isEqualTo("5");
      String deployments = Harness.get(h.admin, "/deployments").body();
      String services = Harness.get(h.admin, "/services").body();
      h.server.stop();

      // the layout of a node from before the metadata log: the registry file without an LSN
      Path data = h.server.dataDir().resolve("resolute"); // <base dir>/<node name>
      Path registry = data.resolve("schema-registry.json");
      ObjectNode root = (ObjectNode) JSON.readTree(registry.toFile());
      assertThat(root.has("lsn")).isTrue();
      root.remove("lsn");
      Files.write(registry, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      try (Stream<Path> files = Files.walk(data.resolve("metadata"))) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }

      h.startServer();
      assertThat(Harness.get(h.admin, "/deployments").body()).isEqualTo(deployments);
      assertThat(Harness.get(h.admin, "/services").body()).isEqualTo(services);
      assertThat(h.call("/Counter/up1/add", "1").body()).isEqualTo("6");
      assertThat(data.resolve("metadata")).isDirectory();
      assertThat(JSON.readTree(registry.toFile()).get("lsn").asLong()).isEqualTo(1);
      assertThat(h.server.logTail()).contains("imported the node's metadata file");

      // a crash, then a start from the metadata log's cache
      h.restartServer();
      assertThat(Harness.get(h.admin, "/deployments").body()).isEqualTo(deployments);
      assertThat(h.call("/Counter/up1/add", "1").body()).isEqualTo("7");
      // and a change after the upgrade is a metadata record like any other
      assertThat(
              Harness.send(
                      h.admin, "PATCH", "/services/Counter", "{\"idempotency_retention\":\"2h\"}")
                  .statusCode())
          .isEqualTo(200);
      h.restartServer();
      assertThat(Harness.get(h.admin, "/services/Counter").body())
          .contains("\"idempotency_retention\":\"2h\"");
      assertThat(JSON.readTree(registry.toFile()).get("lsn").asLong()).isEqualTo(2);
    }
  }
}
