package dev.resolute.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.ResoluteServer;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.it.Greeter;
import dev.restate.sdk.auth.signing.RestateRequestIdentityVerifier;
import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Resolute node with {@code request-identity-private-key-pem-file} signs discovery and invocation
 * requests so that the official Java SDK's {@code RestateRequestIdentityVerifier} accepts them; an
 * endpoint trusting a different key refuses registration.
 */
@Timeout(90)
class RequestIdentityIT {
  @TempDir static Path dir;
  static ResoluteServer server;
  static HttpServer trusting;
  static HttpServer distrusting;
  static int ingress;
  static int admin;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String pem(KeyPair kp) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  @BeforeAll
  static void start() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pemFile = dir.resolve("identity.pem");
    Files.writeString(pemFile, pem(kp));
    RequestSigner signer =
        RequestSigner.fromPemFile(pemFile, Duration.ofSeconds(60), java.time.Clock.systemUTC());
    assertThat(signer.keyId())
        .isEqualTo(dev.resolute.protocol.identity.RequestIdentity.keyId(kp.getPublic()));
    server =
        ResoluteServer.start(
            ConfigLoader.load(
                null,
                Map.of(),
                Map.of(
                    "base-dir", dir.resolve("data").toString(),
                    "default-num-partitions", "2",
                    "ingress.bind-address", "127.0.0.1:0",
                    "admin.bind-address", "127.0.0.1:0",
                    "bind-address", "127.0.0.1:0",
                    "worker.invoker.request-identity-private-key-pem-file", pemFile.toString())));
    ingress = server.ingressPort();
    admin = server.adminPort();
    trusting =
        RestateHttpServer.fromEndpoint(
            Endpoint.builder()
                .bind(new Greeter())
                .withRequestIdentityVerifier(
                    RestateRequestIdentityVerifier.fromKeys(signer.keyId()))
                .build());
    trusting.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String other =
        dev.resolute.protocol.identity.RequestIdentity.keyId(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    distrusting =
        RestateHttpServer.fromEndpoint(
            Endpoint.builder()
                .bind(new Greeter())
                .withRequestIdentityVerifier(RestateRequestIdentityVerifier.fromKeys(other))
                .build());
    distrusting.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (HttpServer s : new HttpServer[] {trusting, distrusting}) {
      if (s != null) {
        s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("content-type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signedRequestsPassTheOfficialVerifier() throws Exception {
    HttpResponse<String> reg =
        post(admin, "/deployments", "{\"uri\":\"http://127.0.0.1:" + trusting.actualPort() + "\"}");
    assertThat(reg.statusCode()).as(reg.body()).isIn(200, 201);
    HttpResponse<String> r = post(ingress, "/Greeter/greet", "\"Signed\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"Hello Signed\"");
  }

  @Test
  void anEndpointTrustingAnotherKeyRefusesRegistration() throws Exception {
    HttpResponse<String> reg =
        post(
            admin,
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + distrusting.actualPort() + "\"}");
    assertThat(reg.statusCode()).as(reg.body()).isGreaterThanOrEqualTo(400);
    assertThat(reg.body()).contains("401");
  }
}
