package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.resolute.testsupport.Http;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broken deployments at registration: a {@code /discover} that answers 200 MB, and one that answers
 * random bytes. Neither may harm the node (it runs with the test launcher's 512 MiB heap): the
 * registration fails with restate-server's 500 "cannot be decoded", the node stays healthy, and the
 * bytes never reach the server's log raw. restate-server 1.7.12 answers the garbage the same way
 * (the 200 MB answer it reads whole and quotes back; Resolute stops reading at 32 MiB).
 */
@Timeout(240)
class DiscoveryLimitsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONTENT_TYPE = "application/vnd.restate.endpointmanifest.v3+json";
  static final byte[] GARBAGE = {
    0x00, (byte) 0xff, (byte) 0xfe, 0x1b, '[', '3', '1', 'm', 'A', '\n', '\r', (byte) 0x80, 0x07
  };
  static final long HUGE = 200L * 1024 * 1024;

  static HttpServer deployments;
  static String huge;
  static String garbage;

  @BeforeAll
  static void brokenDeployments() throws IOException {
    deployments = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    deployments.createContext(
        "/huge/discover",
        x -> {
          x.getResponseHeaders().add("content-type", CONTENT_TYPE);
          x.sendResponseHeaders(200, 0); // chunked: the size is only seen while reading
          byte[] spaces = new byte[1024 * 1024];
          Arrays.fill(spaces, (byte) ' ');
          try (OutputStream out = x.getResponseBody()) {
            for (long sent = 0; sent < HUGE; sent += spaces.length) {
              out.write(spaces);
            }
          } catch (IOException stopped) {
            // the server stopped reading: expected
          }
        });
    deployments.createContext(
        "/garbage/discover",
        x -> {
          x.getResponseHeaders().add("content-type", CONTENT_TYPE);
          x.sendResponseHeaders(200, GARBAGE.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(GARBAGE);
          }
        });
    deployments.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    deployments.start();
    String base = "http://127.0.0.1:" + deployments.getAddress().getPort();
    huge = base + "/huge";
    garbage = base + "/garbage";
  }

  @AfterAll
  static void stop() {
    if (deployments != null) {
      deployments.stop(0);
    }
  }

  @Test
  void aHugeDiscoveryResponseFailsTheRegistrationAndTheNodeStaysUp() throws Exception {
    try (ServerProcess server = ResoluteProcess.create("discovery-huge").start()) {
      HttpResponse<String> r = register(server, huge);
      assertThat(r.statusCode()).isEqualTo(500);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("message").asText())
          .isEqualTo(
              "received a bad response from the SDK that cannot be decoded: the discovery response"
                  + " is larger than the limit of 33554432 bytes");
      assertThat(body.get("restate_code").isNull()).isTrue();
      // twice more: nothing piles up
      assertThat(register(server, huge).statusCode()).isEqualTo(500);
      assertThat(register(server, huge).statusCode()).isEqualTo(500);
      assertThat(Http.status(server.adminUrl() + "/health")).isEqualTo(200);
      assertThat(Http.status(server.ingressUrl() + "/restate/health")).isEqualTo(200);
      assertThat(Http.status(server.adminUrl() + "/deployments")).isEqualTo(200);
    }
  }

  @Test
  void garbageFromDiscoverIsAClearErrorAndNeverReachesTheLogRaw() throws Exception {
    String resoluteMessage;
    try (ServerProcess server = ResoluteProcess.create("discovery-garbage").start()) {
      HttpResponse<String> r = register(server, garbage);
      assertThat(r.statusCode()).isEqualTo(500);
      JsonNode body = JSON.readTree(r.body());
      resoluteMessage = body.get("message").asText();
      assertThat(body.get("restate_code").isNull()).isTrue();
      assertThat(Http.status(server.adminUrl() + "/health")).isEqualTo(200);
      byte[] log = Files.readAllBytes(server.log());
      String text = new String(log, java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text).contains("admin request rejected: received a bad response from the SDK");
      for (byte b : log) {
        assertThat(b == 0x00 || b == 0x1b || b == 0x07 || b == '\r')
            .as("a raw control byte in the server log")
            .isFalse();
      }
      assertThat(text).contains("\\u0000").contains("\\u001b[31mA\\u000a");
    }
    String restateMessage;
    try (ServerProcess restate = RestateServerProcess.create("discovery-garbage").start()) {
      HttpResponse<String> r = register(restate, garbage);
      assertThat(r.statusCode()).isEqualTo(500);
      JsonNode body = JSON.readTree(r.body());
      restateMessage = body.get("message").asText();
      assertThat(body.get("restate_code").isNull()).isTrue();
    }
    String prefix = "received a bad response from the SDK that cannot be decoded: ";
    assertThat(resoluteMessage).startsWith(prefix);
    assertThat(restateMessage).startsWith(prefix);
    // both quote the body the same way: invalid UTF-8 as U+FFFD, everything else as it came
    String quoted = "Discovery response: \u0000\ufffd\ufffd\u001b[31mA\n\r\ufffd\u0007";
    assertThat(restateMessage).endsWith(quoted);
    assertThat(resoluteMessage).endsWith(quoted);
  }

  private static HttpResponse<String> register(ServerProcess server, String uri) throws Exception {
    return Http.postJson(
        server.adminUrl() + "/deployments",
        "{\"uri\":\"" + uri + "\",\"use_http_11\":true}",
        Duration.ofSeconds(60));
  }
}
