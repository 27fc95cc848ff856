package dev.resolute.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.serde.TypeTag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class EmbeddedResoluteIT {
  private static final StateKey<Long> COUNT = StateKey.of("count", Long.class);

  @TempDir Path dir;

  static ServiceDefinition echo() {
    return ServiceDefinition.service("Echo")
        .handler("echo", String.class, String.class, (ctx, in) -> in)
        .handler(
            "steps",
            String.class,
            String.class,
            (ctx, in) -> {
              String a = ctx.run("a", String.class, () -> in + "-a");
              ctx.sleep(Duration.ofMillis(300));
              String b = ctx.run("b", String.class, () -> a + "-b");
              return b;
            })
        .build();
  }

  static ServiceDefinition counter() {
    return ServiceDefinition.virtualObject("Counter")
        .handler(
            "add",
            Long.class,
            Long.class,
            (ctx, n) -> {
              long next = ctx.get(COUNT).orElse(0L) + n;
              ctx.set(COUNT, next);
              return next;
            })
        .build();
  }

  private EmbeddedResolute.Builder embedded() {
    return Resolute.embedded().dataDir(dir).partitions(2).bind(echo()).bind(counter());
  }

  @Test
  void callsInProcessWithoutAnyPort() {
    try (EmbeddedResolute r = embedded().withoutIngress().withoutAdmin().start()) {
      assertThat(r.hasIngressPort()).isFalse();
      assertThat(r.hasAdminPort()).isFalse();
      assertThat(r.nodePort()).isEqualTo(-1);
      assertThatThrownBy(r::ingressUri).isInstanceOf(IllegalStateException.class);
      assertThat(r.deploymentUri()).isEqualTo(URI.create("inprocess://app/"));

      IngressResponse hi = r.post("/Echo/echo", "\"hi\"");
      assertThat(hi.status()).isEqualTo(200);
      assertThat(hi.bodyAsString()).isEqualTo("\"hi\"");
      IngressResponse steps = r.post("/Echo/steps", "\"x\"");
      assertThat(steps.bodyAsString()).isEqualTo("\"x-a-b\"");
      assertThat(r.post("/Counter/c1/add", "2").bodyAsString()).isEqualTo("2");
      assertThat(r.post("/Counter/c1/add", "3").bodyAsString()).isEqualTo("5");
      assertThat(r.post("/Nope/x", "1").status()).isEqualTo(404);
    }
  }

  @Test
  void portsServeExternalClientsAndTheCli() throws Exception {
    try (EmbeddedResolute r = embedded().ingressPort(0).adminPort(0).start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> call =
          http.send(
              HttpRequest.newBuilder(r.ingressUri().resolve("/Echo/echo"))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("\"over http\""))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(call.statusCode()).isEqualTo(200);
      assertThat(call.body()).isEqualTo("\"over http\"");
      HttpResponse<String> deployments =
          http.send(
              HttpRequest.newBuilder(r.adminUri().resolve("/deployments")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(deployments.body()).contains("inprocess://app/").contains(r.deploymentId());
      String viaClient =
          r.client()
              .call(
                  Request.of(
                      Target.service("Echo", "echo"),
                      TypeTag.of(String.class),
                      TypeTag.of(String.class),
                      "typed"))
              .response();
      assertThat(viaClient).isEqualTo("typed");
    }
  }

  @Test
  void theOfficialCliSeesTheInProcessDeploymentAndItsServices() {
    try (EmbeddedResolute r = embedded().ingressPort(0).adminPort(0).start()) {
      dev.resolute.testsupport.RestateCli cli =
          dev.resolute.testsupport.RestateCli.against(
              r.adminUri().toString(), r.ingressUri().toString(), dir.resolve("cli"));
      assertThat(cli.run("deployments", "list").assertOk().stdout())
          .contains("inprocess://app/")
          .contains(r.deploymentId());
      assertThat(cli.run("services", "list").assertOk().stdout())
          .contains("Echo")
          .contains("Counter");
    }
  }

  @Test
  void remoteDeploymentsServeBesideTheLocalOne() {
    ServiceDefinition remote =
        ServiceDefinition.service("Remote")
            .handler("shout", String.class, String.class, (ctx, in) -> in.toUpperCase())
            .build();
    ServiceDefinition caller =
        ServiceDefinition.service("Caller")
            .handler(
                "viaRemote",
                String.class,
                String.class,
                (ctx, in) ->
                    "local+"
                        + ctx.call(
                                Request.of(
                                    Target.service("Remote", "shout"),
                                    TypeTag.of(String.class),
                                    TypeTag.of(String.class),
                                    in))
                            .await())
            .build();
    ResoluteHttpServer endpoint =
        ResoluteHttpServer.start(Endpoint.bind(remote).build(), "127.0.0.1", 0);
    try (EmbeddedResolute r = embedded().bind(caller).withoutIngress().withoutAdmin().start()) {
      String remoteId =
          r.registerDeployment(URI.create("http://127.0.0.1:" + endpoint.port() + "/"));
      assertThat(remoteId).isNotEqualTo(r.deploymentId());
      assertThat(r.post("/Caller/viaRemote", "\"hey\"").bodyAsString()).isEqualTo("\"local+HEY\"");
    } finally {
      endpoint.close();
    }
  }

  @Test
  void aNodeWithoutLocalServicesServesRemoteOnes() {
    ResoluteHttpServer endpoint =
        ResoluteHttpServer.start(Endpoint.bind(echo()).build(), "127.0.0.1", 0);
    try (EmbeddedResolute r =
        Resolute.embedded().dataDir(dir).partitions(1).withoutIngress().withoutAdmin().start()) {
      assertThat(r.deploymentId()).isNull();
      r.registerDeployment(URI.create("http://127.0.0.1:" + endpoint.port()));
      assertThat(r.post("/Echo/echo", "\"far\"").bodyAsString()).isEqualTo("\"far\"");
    } finally {
      endpoint.close();
    }
  }

  @Test
  void bindingAndAnEndpointDoNotMix() {
    assertThatThrownBy(
            () -> Resolute.embedded().bind(echo()).endpoint(Endpoint.bind(counter()).build()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> Resolute.embedded().endpoint(Endpoint.bind(counter()).build()).bind(echo()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeAbortsTheHandlersStillRunning() throws Exception {
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
    ServiceDefinition sleepy =
        ServiceDefinition.service("Sleepy")
            .handler(
                "nap",
                String.class,
                String.class,
                (ctx, in) -> {
                  started.countDown();
                  try {
                    ctx.sleep(Duration.ofMinutes(10));
                    return in;
                  } finally {
                    left.countDown();
                  }
                })
            .build();
    EmbeddedResolute r =
        Resolute.embedded()
            .dataDir(dir)
            .partitions(1)
            .withoutIngress()
            .withoutAdmin()
            .bind(sleepy)
            .start();
    try {
      assertThat(r.post("/Sleepy/nap/send", "\"z\"").status()).isEqualTo(202);
      assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      r.close();
    }
    assertThat(left.await(10, java.util.concurrent.TimeUnit.SECONDS))
        .as("the handler thread left its wait when the node stopped")
        .isTrue();
  }

  static final java.util.concurrent.atomic.AtomicInteger TICKS =
      new java.util.concurrent.atomic.AtomicInteger();

  static ServiceDefinition ticker() {
    return ServiceDefinition.service("Ticker")
        .handler(
            "tick",
            String.class,
            Void.class,
            (ctx, in) -> {
              TICKS.incrementAndGet();
              return null;
            })
        .build();
  }

  /**
   * A bound service's declared schedule is created at start and fires in process; a start whose
   * services no longer declare it deletes it.
   */
  @Test
  void aBoundServicesDeclaredScheduleFiresAndGoesAwayWithTheDeclaration() throws Exception {
    TICKS.set(0);
    try (EmbeddedResolute r =
        embedded()
            .bind(
                ticker(),
                c ->
                    c.configureHandler(
                        "tick",
                        h ->
                            h.schedule(
                                dev.resolute.sdk.endpoint.definition.ScheduleDefinition.cron(
                                        "* * * * * *")
                                    .body("\"t\""))))
            .withoutIngress()
            .adminPort(0)
            .start()) {
      HttpResponse<String> s =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(r.adminUri().resolve("/schedules")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(s.body()).contains("\"id\":\"sdk~Ticker~tick~0\"");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (TICKS.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(TICKS.get()).isGreaterThanOrEqualTo(2);
    }
    try (EmbeddedResolute r = embedded().bind(ticker()).withoutIngress().adminPort(0).start()) {
      HttpResponse<String> s =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(r.adminUri().resolve("/schedules")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(s.body()).isEqualTo("{\"schedules\":[]}");
      int after = TICKS.get();
      Thread.sleep(2500);
      // at most a firing already under way when the schedule was deleted
      assertThat(TICKS.get()).isLessThanOrEqualTo(after + 1);
    }
  }

  @Test
  void restartKeepsStateAndTheDeployment() {
    String id;
    try (EmbeddedResolute r = embedded().withoutIngress().withoutAdmin().start()) {
      id = r.deploymentId();
      assertThat(r.post("/Counter/k/add", "4").bodyAsString()).isEqualTo("4");
    }
    assertThat(Files.isDirectory(dir.resolve("resolute"))).isTrue();
    try (EmbeddedResolute r = embedded().withoutIngress().withoutAdmin().start()) {
      assertThat(r.deploymentId()).isEqualTo(id);
      assertThat(r.post("/Counter/k/add", "1").bodyAsString()).isEqualTo("5");
    }
  }

  @Test
  void anInvocationCutByCloseResumesOnTheNextStart() throws Exception {
    String invocationId;
    try (EmbeddedResolute r = embedded().withoutIngress().withoutAdmin().start()) {
      IngressResponse sent =
          r.request(
                  "POST",
                  "/Echo/steps/send",
                  Map.of("content-type", "application/json", "idempotency-key", "once"),
                  "\"resumed\"".getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .get();
      assertThat(sent.status()).isEqualTo(202);
      invocationId =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(sent.body())
              .get("invocationId")
              .asText();
      Thread.sleep(100); // in its 300 ms sleep when the node stops
    }
    try (EmbeddedResolute r = embedded().withoutIngress().withoutAdmin().start()) {
      IngressResponse out =
          r.request("GET", "/restate/invocation/" + invocationId + "/attach", Map.of(), null).get();
      assertThat(out.status()).isEqualTo(200);
      assertThat(out.bodyAsString()).isEqualTo("\"resumed-a-b\"");
    }
  }
}
