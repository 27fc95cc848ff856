package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.Http;
import dev.resolute.testsupport.ResoluteProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Configuration keys and restate-server options applied by a real server process: {@code
 * ingress.request-size-limit}, {@code log-format}, {@code log-filter}, and the options Resolute
 * accepts with a warning naming them.
 */
@Timeout(180)
class ConfigKeysIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int post(ResoluteProcess server, int bytes) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.ingressUrl() + "/NoSuchService/handler"))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes]))
            .build();
    return Http.CLIENT.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void requestSizeLimitAndJsonLogsAndWarnedOptions() throws Exception {
    ResoluteProcess plain = ResoluteProcess.create("config-default");
    try (plain) {
      plain.start();
      assertThat(post(plain, 4096)).isEqualTo(404); // unknown service: the body was accepted
      assertThat(Files.readString(plain.log())).contains("started in");
    }
    ResoluteProcess server = ResoluteProcess.create("config-keys");
    Path config = server.workDir().resolve("server.toml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        """
        log-format = "json"
        [ingress]
        request-size-limit = "2.0 KiB"
        [worker]
        cleanup-interval = "2h"
        """);
    server.args(
        "--config-file",
        config.toString(),
        "--tracing-runtime-endpoint",
        "http://127.0.0.1:4317",
        "--roles=worker,admin",
        "--production");
    try (server) {
      server.start();
      assertThat(post(server, 1024)).isEqualTo(404);
      assertThat(post(server, 4096)).isEqualTo(413);
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(server.log())) {
        // SLF4J's own start-up notes (the test class path holds a second provider) are printed
        // before any logging is configured; every other line is one JSON object
        if (!line.isBlank() && !line.startsWith("SLF4J(")) {
          lines.add(JSON.readTree(line));
        }
      }
      List<String> messages =
          lines.stream().map(j -> j.get("fields").get("message").asText()).toList();
      assertThat(messages).anyMatch(m -> m.contains("started in"));
      assertThat(String.join("\n", messages))
          .contains(
              "configuration key \"tracing-runtime-endpoint\" = http://127.0.0.1:4317 (on the"
                  + " command line (--tracing-runtime-endpoint))",
              "configuration key \"worker.cleanup-interval\" = 2h",
              "configuration key \"roles\" = [worker, admin]",
              "configuration key \"production\"");
      assertThat(lines).allMatch(j -> j.has("timestamp") && j.has("level") && j.has("target"));
    }
  }

  @Test
  void logFilterHidesTheLevelsItExcludes() throws Exception {
    ResoluteProcess quiet =
        ResoluteProcess.create("config-log-filter").args("--log-filter", "warn");
    try (quiet) {
      quiet.start();
      assertThat(post(quiet, 10)).isEqualTo(404);
    }
    String log = Files.readString(quiet.log());
    assertThat(log).doesNotContain("started in").doesNotContain(" INFO ");
    ResoluteProcess debug =
        ResoluteProcess.create("config-log-filter-debug")
            .env(java.util.Map.of("RESTATE_LOG_FILTER", "debug"));
    try (debug) {
      debug.start();
    }
    assertThat(Files.readString(debug.log())).contains(" DEBUG ");
  }
}
