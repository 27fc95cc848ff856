package dev.resolute.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.HttpServer;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.transport.NettyDeploymentClient;
import io.netty.channel.nio.NioEventLoopGroup;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin API against an official Java SDK 2.4.0 endpoint. Expected bodies, status codes and messages
 * were captured from restate-server 1.7.12 registering the same Adm* services (Nov 2026); ids and
 * created_at differ per run and are not compared.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static NioEventLoopGroup group;
  private static NettyDeploymentClient transport;
  private static HttpServer server;
  private static SdkEndpoint sdk;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static String base;
  private static String deploymentId;
  @TempDir static Path dataDir;

  // captured from restate-server 1.7.12: ServiceMetadata of AdmCounter (deployment_id/revision
  // replaced)
  static final String ADM_COUNTER =
      "{\"name\":\"AdmCounter\",\"ty\":\"VirtualObject\",\"handlers\":[{\"name\":\"add\","
          + "\"ty\":\"Exclusive\",\"public\":true,\"input_description\":\"JSON integer\",\"output_description\":\"JSON integer\","
          + "\"input_json_schema\":{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"integer\"},"
          + "\"output_json_schema\":{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"integer\"},"
          + "\"retry_policy\":{\"max_attempts\":null}},{\"name\":\"get\",\"ty\":\"Shared\",\"public\":true,"
          + "\"input_description\":\"none\",\"output_description\":\"JSON integer\",\"output_json_schema\":{\"$schema\":"
          + "\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"integer\"},\"retry_policy\":{\"max_attempts\":null}}],"
          + "\"documentation\":\"Official-SDK (2.4.0) test virtual object used by the admin ITs.\",\"deployment_id\":\"DP\","
          + "\"revision\":1,\"public\":true,\"idempotency_retention\":\"1d\",\"journal_retention\":\"1d\","
          + "\"inactivity_timeout\":\"1m\",\"abort_timeout\":\"10m\",\"enable_lazy_state\":false,\"retry_policy\":{"
          + "\"initial_interval\":\"500ms\",\"exponentiation_factor\":2.0,\"max_attempts\":70,\"max_interval\":\"1m\","
          + "\"on_max_attempts\":\"Pause\"}}";
  static final String ADM_GREETER =
      "{\"name\":\"AdmGreeter\",\"ty\":\"Service\",\"handlers\":[{\"name\":\"greet\","
          + "\"public\":true,\"input_description\":\"JSON string\",\"output_description\":\"JSON string\",\"input_json_schema\":"
          + "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"string\"},\"output_json_schema\":{"
          + "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"string\"},\"retry_policy\":{"
          + "\"max_attempts\":null}},{\"name\":\"ping\",\"public\":true,\"input_description\":\"none\",\"output_description\":"
          + "\"none\",\"retry_policy\":{\"max_attempts\":null}}],\"documentation\":\"Official-SDK (2.4.0) test service used by"
          + " the admin/transport ITs.\",\"deployment_id\":\"DP\",\"revision\":1,\"public\":true,\"idempotency_retention\":"
          + "\"1d\",\"journal_retention\":\"1d\",\"inactivity_timeout\":\"1m\",\"abort_timeout\":\"10m\",\"enable_lazy_state\":"
          + "false,\"retry_policy\":{\"initial_interval\":\"500ms\",\"exponentiation_factor\":2.0,\"max_attempts\":70,"
          + "\"max_interval\":\"1m\",\"on_max_attempts\":\"Pause\"}}";
  static final String ADM_FLOW_RUN =
      "{\"name\":\"run\",\"ty\":\"Workflow\",\"public\":true,\"input_description\":"
          + "\"JSON string\",\"output_description\":\"JSON string\",\"input_json_schema\":{\"$schema\":"
          + "\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"string\"},\"output_json_schema\":{\"$schema\":"
          + "\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"string\"},\"retry_policy\":{\"max_attempts\":null}}";

  @BeforeAll
  static void start() throws Exception {
    group = new NioEventLoopGroup(2);
    transport = new NettyDeploymentClient(group);
    sdk = SdkEndpoint.start();
    Dispatcher dispatcher =
        (Dispatcher)
            Proxy.newProxyInstance(
                Dispatcher.class.getClassLoader(),
                new Class<?>[] {Dispatcher.class},
                (p, m, a) ->
                    CompletableFuture.failedFuture(
                        new DispatchException(404, "unknown invocation")));
    AdminApi api =
        new AdminApi(
            SchemaRegistry.open(dataDir),
            new DiscoveryClient(transport),
            dispatcher,
            "0.1.0-test",
            "http://127.0.0.1:8080/");
    server = HttpServer.start("admin", new InetSocketAddress("127.0.0.1", 0), group, 1 << 20, api);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    transport.close();
    sdk.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static JsonNode expected(String template, String dp, int revision) throws Exception {
    return JSON.readTree(
        template
            .replace("\"DP\"", "\"" + dp + "\"")
            .replace("\"revision\":1", "\"revision\":" + revision));
  }

  static JsonNode byName(JsonNode arr, String name) {
    for (JsonNode n : arr) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError(name + " not in " + arr);
  }

  @Test
  @Order(1)
  void healthAndVersion() throws Exception {
    var h = send("GET", "/health", null);
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.body()).isEmpty();
    JsonNode v = json(send("GET", "/version", null));
    assertThat(v.get("min_admin_api_version").asInt()).isEqualTo(2);
    assertThat(v.get("max_admin_api_version").asInt()).isEqualTo(4);
    assertThat(v.get("ingress_endpoint").asText()).isEqualTo("http://127.0.0.1:8080/");
    assertThat(v.get("features").isObject()).isTrue();
    var v1 = send("GET", "/v1/services", null);
    assertThat(v1.statusCode()).isEqualTo(400);
    assertThat(v1.body())
        .isEqualTo(
            "Unsupported Admin API version V1. This server supports versions between V2 and V4.");
    // restate-server 1.7.12: anything else that looks like a version is an unknown path (found by
    // the admin fuzzer: a number too long for an int was a 500)
    for (String p :
        new String[] {
          "/v0/health", "/v0003/health", "/v99/health", "/v11111111111111111111111111111/health"
        }) {
      assertThat(send("GET", p, null).statusCode()).as(p).isEqualTo(404);
    }
  }

  @Test
  @Order(2)
  void registerOfficialSdkEndpoint() throws Exception {
    var r = send("POST", "/deployments", "{\"uri\":\"" + sdk.uri() + "\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode b = json(r);
    deploymentId = b.get("id").asText();
    assertThat(deploymentId).startsWith("dp_1").hasSize(26);
    assertThat(r.headers().firstValue("location")).hasValue("deployments/" + deploymentId);
    assertThat(b.get("min_protocol_version").asInt()).isEqualTo(5);
    assertThat(b.get("max_protocol_version").asInt()).isEqualTo(6);
    assertThat(b.get("sdk_version").asText()).isEqualTo("restate-sdk-java/2.4.0_2a001aec");
    assertThat(b.get("services")).hasSize(3);
    assertThat(byName(b.get("services"), "AdmCounter"))
        .isEqualTo(expected(ADM_COUNTER, deploymentId, 1));
    assertThat(byName(b.get("services"), "AdmGreeter"))
        .isEqualTo(expected(ADM_GREETER, deploymentId, 1));
    JsonNode flow = byName(b.get("services"), "AdmFlow");
    assertThat(flow.get("ty").asText()).isEqualTo("Workflow");
    assertThat(flow.get("workflow_completion_retention").asText()).isEqualTo("1d");
    assertThat(byName(flow.get("handlers"), "run")).isEqualTo(JSON.readTree(ADM_FLOW_RUN));
    assertThat(byName(flow.get("handlers"), "signal").get("ty").asText()).isEqualTo("Shared");

    // same URI again: 200, unchanged
    var again = send("POST", "/deployments", "{\"uri\":\"" + sdk.uri() + "\"}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("id").asText()).isEqualTo(deploymentId);
    assertThat(byName(json(again).get("services"), "AdmCounter").get("revision").asInt())
        .isEqualTo(1);
    // force: overwritten in place, revision bumped, 200
    var forced = send("POST", "/deployments", "{\"uri\":\"" + sdk.uri() + "\",\"force\":true}");
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(json(forced).get("id").asText()).isEqualTo(deploymentId);
    assertThat(byName(json(forced).get("services"), "AdmCounter"))
        .isEqualTo(expected(ADM_COUNTER, deploymentId, 2));
  }

  @Test
  @Order(3)
  void listAndGet() throws Exception {
    JsonNode list = json(send("GET", "/deployments", null));
    JsonNode d = list.get("deployments").get(0);
    assertThat(d.get("id").asText()).isEqualTo(deploymentId);
    assertThat(d.get("uri").asText()).isEqualTo(sdk.uri() + "/");
    assertThat(d.get("protocol_type").asText()).isEqualTo("BidiStream");
    assertThat(d.get("http_version").asText()).isEqualTo("HTTP/2.0");
    assertThat(d.get("created_at").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
    assertThat(d.get("sdk_version").asText()).isEqualTo("restate-sdk-java/2.4.0_2a001aec");
    assertThat(byName(d.get("services"), "AdmGreeter"))
        .isEqualTo(JSON.readTree("{\"name\":\"AdmGreeter\",\"revision\":2}"));
    assertThat(d.has("additional_headers")).isFalse();

    JsonNode detailed = json(send("GET", "/v2/deployments/" + deploymentId, null));
    assertThat(byName(detailed.get("services"), "AdmGreeter"))
        .isEqualTo(expected(ADM_GREETER, deploymentId, 2));

    assertThat(byName(json(send("GET", "/services", null)).get("services"), "AdmCounter"))
        .isEqualTo(expected(ADM_COUNTER, deploymentId, 2));
    assertThat(json(send("GET", "/v3/services/AdmCounter", null)))
        .isEqualTo(expected(ADM_COUNTER, deploymentId, 2));
    JsonNode handlers = json(send("GET", "/services/AdmCounter/handlers", null));
    assertThat(handlers.get("handlers"))
        .isEqualTo(expected(ADM_COUNTER, deploymentId, 2).get("handlers"));
    assertThat(json(send("GET", "/v4/services/AdmCounter/handlers/get", null)))
        .isEqualTo(expected(ADM_COUNTER, deploymentId, 2).get("handlers").get(1));
  }

  @Test
  @Order(4)
  void errors() throws Exception {
    var svc404 = send("GET", "/services/Nope", null);
    assertThat(svc404.statusCode()).isEqualTo(404);
    assertThat(json(svc404))
        .isEqualTo(
            JSON.readTree(
                "{\"message\":\"The requested service 'Nope' does not exist\",\"restate_code\":null}"));
    var h404 = send("GET", "/services/AdmCounter/handlers/nope", null);
    assertThat(h404.statusCode()).isEqualTo(404);
    assertThat(json(h404).get("message").asText())
        .isEqualTo("The requested handler 'nope' on service 'AdmCounter' does not exist");
    var dep404 = send("GET", "/deployments/dp_10000000000000000000000", null);
    assertThat(dep404.statusCode()).isEqualTo(404);
    assertThat(json(dep404).get("message").asText())
        .isEqualTo("The requested deployment 'dp_10000000000000000000000' does not exist");
    var depBad = send("GET", "/deployments/xyz", null);
    assertThat(depBad.statusCode()).isEqualTo(400);
    assertThat(depBad.body())
        .isEqualTo("Invalid URL: Cannot parse `deployment` with value `xyz`: bad format");
    var badUri = send("POST", "/deployments", "{\"uri\":\"notauri\"}");
    assertThat(badUri.statusCode()).isEqualTo(400);
    assertThat(json(badUri).get("message").asText())
        .isEqualTo(
            "The request field 'uri' is invalid. Reason: The provided uri notauri is not absolute, only absolute URIs can be used.");
    assertThat(send("POST", "/deployments", "{}").statusCode()).isEqualTo(422);
    assertThat(send("POST", "/deployments", "{bad").statusCode()).isEqualTo(400);
    var unreachable = send("POST", "/deployments", "{\"uri\":\"http://127.0.0.1:1\"}");
    assertThat(unreachable.statusCode()).isEqualTo(500);
    assertThat(json(unreachable).get("restate_code").asText()).isEqualTo("META0003");
    assertThat(json(unreachable).get("message").asText())
        .startsWith("[META0003] [META0003] error when calling 'http://127.0.0.1:1/': ");
    var cancelBad = send("PATCH", "/invocations/xyz/cancel", null);
    assertThat(cancelBad.statusCode()).isEqualTo(400);
    assertThat(json(cancelBad).get("message").asText())
        .isEqualTo("The request field 'invocation_id' is invalid. Reason: bad format");
    var killUnknown =
        send("PATCH", "/invocations/inv_1foAirY4KKzi29zptuek9VWoDzqe1upCNj/kill", null);
    assertThat(killUnknown.statusCode()).isEqualTo(404);
    assertThat(json(killUnknown).get("message").asText())
        .isEqualTo(
            "The requested invocation 'inv_1foAirY4KKzi29zptuek9VWoDzqe1upCNj' does not exist");
    assertThat(send("PUT", "/deployments/" + deploymentId, "{}").statusCode()).isEqualTo(405);
    assertThat(send("GET", "/foo", null).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void registerOverHttp11AndDelete() throws Exception {
    // a second URI (path prefix) for the same services, over HTTP/1.1: Java answers
    // REQUEST_RESPONSE
    var r = send("POST", "/deployments", "{\"uri\":\"" + sdk.uri() + "/p/\",\"use_http_11\":true}");
    assertThat(r.statusCode()).isEqualTo(201);
    String id2 = json(r).get("id").asText();
    JsonNode counter = byName(json(r).get("services"), "AdmCounter");
    assertThat(counter.get("revision").asInt()).isEqualTo(3);
    assertThat(counter.get("inactivity_timeout").asText())
        .isEqualTo("0s"); // RR mode, as 1.7.12 shows
    JsonNode d = json(send("GET", "/deployments/" + id2, null));
    assertThat(d.get("protocol_type").asText()).isEqualTo("RequestResponse");
    assertThat(d.get("http_version").asText()).isEqualTo("HTTP/1.1");

    assertThat(send("DELETE", "/deployments/" + id2, null).statusCode()).isEqualTo(501);
    var del = send("DELETE", "/deployments/" + id2 + "?force=true", null);
    assertThat(del.statusCode()).isEqualTo(202);
    assertThat(del.body()).isEmpty();
    assertThat(json(send("GET", "/services/AdmCounter", null)).get("revision").asInt())
        .isEqualTo(2);
    var again = send("DELETE", "/deployments/" + id2 + "?force=true", null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(json(again).get("message").asText())
        .isEqualTo("not found in the schema registry: deployment with id '" + id2 + "'");
  }
}
