package dev.resolute.sdk.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.sdk.endpoint.definition.InvocationRetryPolicy;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.sdk.it.ExampleServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Discovery negotiation, manifest contents per version, and routing errors, over HTTP/1.1. */
@Timeout(30)
class DiscoveryAndRoutingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ResoluteHttpServer server;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    ServiceDefinition cart =
        dev.resolute.sdk.internal.reflect.ReflectiveServices.definitionOf(
            new ExampleServices.CartObject());
    Endpoint endpoint =
        Endpoint.bind(
                new ExampleServices.Greeter(),
                d ->
                    d.documentation("greets")
                        .addMetadata("team", "a")
                        .inactivityTimeout(Duration.ofSeconds(5))
                        .invocationRetryPolicy(
                            InvocationRetryPolicy.builder()
                                .initialInterval(Duration.ofMillis(100))
                                .exponentiationFactor(2.0)
                                .maxInterval(Duration.ofSeconds(1))
                                .maxAttempts(5)
                                .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.PAUSE)))
            .bind(cart, d -> d.enableLazyState(true))
            .bind(
                ExampleServices.signupWorkflow(),
                d -> d.configureHandler("run", h -> h.workflowRetention(Duration.ofDays(2))))
            .build();
    server = ResoluteHttpServer.start(endpoint, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (accept != null) {
      b.header("accept", accept);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String manifest(int v) {
    return "application/vnd.restate.endpointmanifest.v" + v + "+json";
  }

  @Test
  void negotiatesHighestOfferedVersion() throws Exception {
    HttpResponse<String> r =
        get(
            "/discover",
            manifest(1) + ", " + manifest(2) + ", " + manifest(3) + ", " + manifest(4));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue(manifest(4));
    assertThat(r.headers().firstValue("x-restate-server").orElseThrow())
        .startsWith("resolute-sdk-java/");
    JsonNode m = JSON.readTree(r.body());
    assertThat(m.get("protocolMode").asText()).isEqualTo("REQUEST_RESPONSE");
    assertThat(m.get("minProtocolVersion").asInt()).isEqualTo(5);
    assertThat(m.get("maxProtocolVersion").asInt()).isEqualTo(6);
    JsonNode greeter = service(m, "Greeter");
    assertThat(greeter.get("ty").asText()).isEqualTo("SERVICE");
    assertThat(greeter.get("documentation").asText()).isEqualTo("greets");
    assertThat(greeter.get("inactivityTimeout").asLong()).isEqualTo(5000);
    assertThat(greeter.get("retryPolicyMaxAttempts").asInt()).isEqualTo(5);
    assertThat(greeter.get("retryPolicyOnMaxAttempts").asText()).isEqualTo("PAUSE");
    assertThat(service(m, "Cart").get("enableLazyState").asBoolean()).isTrue();
    JsonNode run = handler(service(m, "Signup"), "run");
    assertThat(run.get("ty").asText()).isEqualTo("WORKFLOW");
    assertThat(run.get("workflowCompletionRetention").asLong())
        .isEqualTo(Duration.ofDays(2).toMillis());
    assertThat(handler(service(m, "Cart"), "get").get("ty").asText()).isEqualTo("SHARED");
    assertThat(handler(service(m, "Cart"), "add").get("ty").asText()).isEqualTo("EXCLUSIVE");
    assertThat(handler(greeter, "sleepy").get("input").size()).isZero();
  }

  @Test
  void stripsFieldsNewerThanNegotiatedVersion() throws Exception {
    JsonNode v1 = JSON.readTree(get("/discover", manifest(1)).body());
    assertThat(service(v1, "Greeter").has("documentation")).isFalse();
    assertThat(service(v1, "Greeter").has("inactivityTimeout")).isFalse();
    JsonNode v2 = JSON.readTree(get("/discover", manifest(2)).body());
    assertThat(service(v2, "Greeter").get("documentation").asText()).isEqualTo("greets");
    assertThat(service(v2, "Greeter").has("inactivityTimeout")).isFalse();
    JsonNode v3 = JSON.readTree(get("/discover", manifest(3)).body());
    assertThat(service(v3, "Greeter").get("inactivityTimeout").asLong()).isEqualTo(5000);
    assertThat(service(v3, "Greeter").has("retryPolicyMaxAttempts")).isFalse();
    assertThat(get("/discover", manifest(3)).headers().firstValue("content-type"))
        .hasValue(manifest(3));
  }

  @Test
  void unsupportedAcceptIs415() throws Exception {
    assertThat(get("/discover", "*/*").statusCode()).isEqualTo(415);
    assertThat(get("/discover", manifest(5)).statusCode()).isEqualTo(415);
  }

  @Test
  void healthAndPrefixes() throws Exception {
    HttpResponse<String> h = get("/health", null);
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.body()).isEqualTo("OK");
    assertThat(get("/some/prefix/discover", manifest(2)).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownHandlerIs404AndBadContentTypeIs415() throws Exception {
    HttpRequest unknown =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/invoke/Nope/x"))
            .header("content-type", "application/vnd.restate.invocation.v6")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> r = HTTP.send(unknown, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("x-restate-server")).isPresent();
    HttpRequest v4 =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/invoke/Greeter/greet"))
            .header("content-type", "application/vnd.restate.invocation.v4")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(HTTP.send(v4, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
  }

  static JsonNode service(JsonNode m, String name) {
    for (JsonNode s : m.get("services")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no service " + name);
  }

  static JsonNode handler(JsonNode s, String name) {
    for (JsonNode h : s.get("handlers")) {
      if (h.get("name").asText().equals(name)) {
        return h;
      }
    }
    throw new AssertionError("no handler " + name);
  }
}
