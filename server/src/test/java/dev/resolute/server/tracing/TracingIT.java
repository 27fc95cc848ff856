package dev.resolute.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.server.tracing.OtlpReceiver.Received;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Resolute with {@code --tracing-endpoint} pointing at an OTLP collector started here, the
 * official Java SDK as the deployment. A request with a caller's {@code traceparent} must give one
 * trace: caller → {@code ingress} → {@code invocation} → {@code invocation-attempt} → {@code run
 * step} / {@code sleep} / {@code call TraceBack/echo} → the callee's {@code invocation} → its
 * attempt; the deployment sees each attempt's span as its parent; {@code sys_invocation.trace_id}
 * shows the caller's trace id. Once over OTLP/HTTP and once over OTLP/gRPC (the default scheme).
 */
@Timeout(180)
class TracingIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  private static int servicesPort;

  @BeforeAll
  static void deployment() {
    servicesPort = TracedServices.listen();
  }

  @Test
  void traceOverOtlpHttp() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.http()) {
      run(
          "tracing-http",
          "otlp+http://127.0.0.1:" + receiver.port() + "/v1/traces",
          receiver,
          "tracing-headers.x-test = \"yes\"");
      assertThat(receiver.lastHeaders).containsEntry("x-test", "yes");
    }
  }

  @Test
  void traceOverOtlpGrpc() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.grpc()) {
      run("tracing-grpc", "http://127.0.0.1:" + receiver.port(), receiver, null);
      assertThat(receiver.lastHeaders).containsEntry("content-type", "application/grpc");
    }
  }

  @Test
  void withoutTracingTheCallersTraceIdIsStillStored() throws Exception {
    try (ResoluteProcess server = ResoluteProcess.create("tracing-off").start()) {
      server.registerDeployment("http://127.0.0.1:" + servicesPort, false);
      String id = call(server, "off");
      assertThat(traceId(server, id)).isEqualTo(CALLER_TRACE);
      // no span of Resolute's: the deployment sees no traceparent from the invoker
      assertThat(TracedServices.SEEN_PARENT.get("process")).isEqualTo("0000000000000000");
    }
  }

  private static void run(String name, String endpoint, OtlpReceiver receiver, String toml)
      throws Exception {
    ResoluteProcess server = ResoluteProcess.create(name);
    if (toml != null) {
      java.nio.file.Path config = server.workDir().resolve("server.toml");
      java.nio.file.Files.createDirectories(config.getParent());
      java.nio.file.Files.writeString(config, toml + "\n");
      server.args("--config-file", config.toString());
    }
    server.args("--tracing-endpoint", endpoint);
    try (server) {
      server.start();
      server.registerDeployment("http://127.0.0.1:" + servicesPort, false);
      String id = call(server, name);

      Wait.until(
          "the spans of both invocations",
          Duration.ofSeconds(30),
          () ->
              receiver.named("invocation TraceBack/echo").size() == 1
                  && receiver.named("invocation TraceFront/process").size() == 1
                  && receiver.named("ingress TraceFront/process").size() == 1);

      Received ingress = one(receiver, "ingress TraceFront/process");
      assertThat(ingress.traceId()).isEqualTo(CALLER_TRACE);
      assertThat(ingress.parentSpanId()).isEqualTo(CALLER_SPAN);
      assertThat(ingress.attr("restate.invocation.id")).isEqualTo(id);
      assertThat(ingress.attr("rpc.service")).isEqualTo("TraceFront");
      assertThat(ingress.attr("rpc.method")).isEqualTo("process");
      assertThat(ingress.attr("http.response.status_code")).isEqualTo("200");
      assertThat(ingress.resource()).containsEntry("service.name", "Restate");

      Received invocation = one(receiver, "invocation TraceFront/process");
      assertThat(invocation.traceId()).isEqualTo(CALLER_TRACE);
      assertThat(invocation.parentSpanId()).isEqualTo(ingress.spanId());
      assertThat(invocation.attr("restate.invocation.id")).isEqualTo(id);
      assertThat(invocation.attr("restate.invocation.target")).isEqualTo("TraceFront/process");
      assertThat(invocation.attr("restate.invocation.result")).isEqualTo("success");
      Received end = one(receiver, "invocation-end TraceFront/process");
      assertThat(end.parentSpanId()).isEqualTo(invocation.spanId());

      List<Received> attempts = receiver.named("invocation-attempt TraceFront/process");
      assertThat(attempts).isNotEmpty();
      assertThat(attempts).allMatch(a -> a.parentSpanId().equals(invocation.spanId()));
      assertThat(attempts).allMatch(a -> a.attr("restate.deployment.id") != null);
      // the SDK got the (last) attempt's span as its parent in traceparent
      assertThat(attempts.stream().map(Received::spanId))
          .contains(TracedServices.SEEN_PARENT.get("process"));

      Received run = one(receiver, "run step");
      assertThat(run.attr("restate.journal.command.type")).isEqualTo("run");
      assertThat(run.attr("restate.journal.command.name")).isEqualTo("step");
      assertThat(run.attr("restate.invocation.id")).isEqualTo(id);
      assertThat(attempts.stream().map(Received::spanId)).contains(run.parentSpanId());
      Received sleep = one(receiver, "sleep");
      assertThat(attempts.stream().map(Received::spanId)).contains(sleep.parentSpanId());
      Received call = one(receiver, "call TraceBack/echo");
      assertThat(call.attr("rpc.service")).isEqualTo("TraceBack");
      assertThat(attempts.stream().map(Received::spanId)).contains(call.parentSpanId());

      Received callee = one(receiver, "invocation TraceBack/echo");
      assertThat(callee.traceId()).isEqualTo(CALLER_TRACE);
      assertThat(callee.parentSpanId()).isEqualTo(call.spanId());
      Wait.until(
          "the callee's attempt span",
          Duration.ofSeconds(10),
          () -> !receiver.named("invocation-attempt TraceBack/echo").isEmpty());
      Received calleeAttempt = receiver.named("invocation-attempt TraceBack/echo").get(0);
      assertThat(calleeAttempt.parentSpanId()).isEqualTo(callee.spanId());
      assertThat(TracedServices.SEEN_PARENT.get("echo")).isEqualTo(calleeAttempt.spanId());

      assertThat(receiver.spans).allMatch(s -> s.traceId().equals(CALLER_TRACE));
      assertThat(traceId(server, id)).isEqualTo(CALLER_TRACE);
    }
  }

  private static Received one(OtlpReceiver receiver, String name) {
    List<Received> r = receiver.spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(r).as("spans named '%s' among %s", name, names(receiver)).hasSize(1);
    return r.get(0);
  }

  private static List<String> names(OtlpReceiver receiver) {
    return receiver.spans.stream().map(Received::name).toList();
  }

  /** Calls {@code TraceFront/process} with the caller's traceparent; returns the invocation id. */
  private static String call(ResoluteProcess server, String input) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.ingressUrl() + "/TraceFront/process"))
                .header("content-type", "application/json")
                .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("\"" + input + "\""))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"echo s-" + input + "\"");
    JsonNode rows =
        query(server, "select id from sys_invocation where target_service_name = 'TraceFront'");
    assertThat(rows).hasSize(1);
    return rows.get(0).get("id").asText();
  }

  private static String traceId(ResoluteProcess server, String id) throws Exception {
    JsonNode rows = query(server, "select trace_id from sys_invocation where id = '" + id + "'");
    assertThat(rows).hasSize(1);
    JsonNode t = rows.get(0).get("trace_id");
    return t == null ? null : t.asText();
  }

  private static JsonNode query(ResoluteProcess server, String sql) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.adminUrl() + "/query"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(java.util.Map.of("query", sql))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("rows");
  }
}
