package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ResoluteProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web UI end to end: a real Resolute, the Java SDK test deployment, real invocations, and
 * {@code ui-it/ui-it.mjs} driving Debian's headless chromium with playwright-core (both from {@code
 * scripts/install-peers}) through every page and action; the script checks each effect through the
 * admin API and saves screenshots to {@code target/ui-screenshots/}.
 */
@Timeout(120)
class WebUiIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResoluteProcess server;
  private ChildProcess services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.kill9();
    }
    if (server != null) {
      server.discard();
    }
  }

  @Test
  void everyPageAndAction() throws Exception {
    server = ResoluteProcess.create("webui");
    Path dir = server.workDir();
    server.start();
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.TestServices",
                List.of("0", Files.createDirectories(dir.resolve("markers")).toString())),
            Map.of(),
            dir.resolve("services.log"));
    int servicesPort =
        Integer.parseInt(
            services.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
    String admin = "http://127.0.0.1:" + server.adminPort();
    String ingress = "http://127.0.0.1:" + server.ingressPort();
    String deployment = "http://127.0.0.1:" + servicesPort;
    assertThat(post(admin + "/deployments", "{\"uri\":\"" + deployment + "\"}").statusCode())
        .isIn(200, 201);

    String completed = send(ingress + "/Counter/done/add/send", "5");
    String held1 = send(ingress + "/Counter/h1/hold/send", "\"t1\"");
    String held2 = send(ingress + "/Counter/h2/hold/send", "\"t2\"");
    awaitStatus(admin, completed, "completed");
    // a held invocation stays running or suspends, as the SDK decides
    awaitStatus(admin, held1, "running", "suspended");
    awaitStatus(admin, held2, "running", "suspended");

    Path out = Files.createDirectories(Path.of("target", "ui-screenshots"));
    try (var old = Files.list(out)) {
      for (Path p : old.toList()) {
        Files.delete(p); // screenshots of an earlier run
      }
    }
    Path script = Path.of(WebUiIT.class.getResource("/ui-it/ui-it.mjs").toURI());
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                script.toString(),
                peers().toString(),
                admin,
                deployment,
                out.toAbsolutePath().toString(),
                completed,
                held1,
                held2)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ui-it.log").toFile());
    pb.environment().put("INGRESS_URL", ingress);
    Process node = pb.start();
    boolean exited = node.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      node.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("ui-it.log"));
    assertThat(exited && node.exitValue() == 0).as(log).isTrue();
  }

  /** {@code .peers} with playwright-core, in the working directory or its nearest parent. */
  private static Path peers() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(".peers/node_modules/playwright-core"))) {
        return d.resolve(".peers");
      }
    }
    throw new IllegalStateException("playwright-core not in .peers: run scripts/install-peers");
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String send(String url, String body) throws Exception {
    HttpResponse<String> r = post(url, body);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    return JSON.readTree(r.body()).get("invocationId").asText();
  }

  private static void awaitStatus(String admin, String id, String... statuses) throws Exception {
    String last = null;
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r =
          post(
              admin + "/query",
              JSON.writeValueAsString(
                  Map.of("query", "SELECT status FROM sys_invocation WHERE id = '" + id + "'")));
      var rows = JSON.readTree(r.body()).get("rows");
      last = rows != null && rows.size() > 0 ? rows.get(0).get("status").asText() : null;
      if (List.of(statuses).contains(last)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(id + " is " + last + ", not " + List.of(statuses));
  }
}
