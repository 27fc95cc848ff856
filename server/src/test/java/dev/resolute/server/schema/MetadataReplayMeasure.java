package dev.resolute.server.schema;

import static dev.resolute.server.schema.SchemaRegistryTest.ep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up cost of the metadata log: not a test (never run by the build, the name ends in neither
 * Test nor IT); each method is run in its own JVM, e.g. {@code
 * -Dtest=MetadataReplayMeasure#populate} then {@code #replayWithoutCache} and {@code
 * #startFromCache}. Prints the times.
 */
class MetadataReplayMeasure {
  static final Path DIR = Path.of(System.getProperty("measure.dir", "/tmp/schema17-measure"));
  static final int N = Integer.getInteger("measure.n", 1000);

  static String manifest() {
    StringBuilder b =
        new StringBuilder(
            "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,\"services\":[");
    for (int s = 0; s < 5; s++) {
      b.append(s == 0 ? "" : ",")
          .append("{\"name\":\"Svc")
          .append(s)
          .append("\",\"ty\":\"VIRTUAL_OBJECT\",\"handlers\":[");
      for (int h = 0; h < 6; h++) {
        b.append(h == 0 ? "" : ",")
            .append("{\"name\":\"h")
            .append(h)
            .append("\",\"input\":{\"contentType\":\"application/json\",")
            .append(
                "\"jsonSchema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"integer\"}}}},")
            .append(
                "\"output\":{\"contentType\":\"application/json\",\"jsonSchema\":{\"type\":\"string\"}}}");
      }
      b.append("]}");
    }
    return b.append("]}").toString();
  }

  @Test
  void populate() throws Exception {
    if (Files.exists(DIR)) {
      try (var w = Files.walk(DIR)) {
        for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(DIR);
    var ep = ep("inprocess://app/", manifest());
    try (LocalMetadataTest.Node n = new LocalMetadataTest.Node(DIR)) {
      for (int i = 0; i < N; i++) {
        n.registry.register(ep, Map.of(), Map.of(), true, false, false);
      }
      System.out.println(
          "MEASURE populated "
              + n.log.appliedLsn()
              + " records, "
              + Files.size(
                  DIR.resolve("metadata")
                      .resolve(
                          Files.list(DIR.resolve("metadata"))
                              .filter(p -> p.toString().endsWith(".seg"))
                              .findFirst()
                              .orElseThrow()
                              .getFileName()))
              + " bytes");
    }
  }

  @Test
  void replayWithoutCache() throws Exception {
    Files.deleteIfExists(DIR.resolve(SchemaRegistry.FILE));
    Files.deleteIfExists(DIR.resolve("kafka.json"));
    long t0 = System.nanoTime();
    try (LocalMetadataTest.Node n = new LocalMetadataTest.Node(DIR)) {
      System.out.println(
          "MEASURE replay of "
              + n.log.appliedLsn()
              + " records without cache, cold JVM: "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms");
    }
  }

  @Test
  void startFromCache() throws Exception {
    long t0 = System.nanoTime();
    try (LocalMetadataTest.Node n = new LocalMetadataTest.Node(DIR)) {
      System.out.println(
          "MEASURE start from the cache at lsn "
              + n.log.appliedLsn()
              + ", cold JVM: "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms");
    }
  }
}
