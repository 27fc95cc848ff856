package dev.resolute.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.sdk.auth.signing.RestateRequestIdentityVerifier;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.testsupport.Ingress;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server (the real restate-server or Resolute, chosen by the subclass) configured with a
 * request-identity key signs discovery and invocation requests; an endpoint trusting that key
 * serves them, one trusting another key refuses them, and unsigned requests get 401.
 */
@Timeout(90)
abstract class RequestIdentityITBase {
  static ServerProcess server;
  static ResoluteHttpServer trusting;
  static ResoluteHttpServer distrusting;
  static String kid;

  static void startAll(boolean resolute) throws Exception {
    KeyPair serverKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    ServerProcess process =
        resolute
            ? ResoluteProcess.create("identity").args("--default-num-partitions", "4")
            : RestateServerProcess.create("identity");
    Files.createDirectories(process.workDir());
    Path pem = process.workDir().resolve("identity.pem");
    Files.writeString(
        pem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(serverKey.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    server =
        process
            .env(
                Map.of(
                    "RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE",
                    pem.toString()))
            .start();
    kid = RestateRequestIdentityVerifier.keyId(serverKey.getPublic());
    trusting =
        ResoluteHttpServer.start(
            Endpoint.bind(new ExampleServices.Greeter())
                .withRequestIdentityVerifier(RestateRequestIdentityVerifier.fromKeys(kid))
                .build(),
            "127.0.0.1",
            0);
    String otherKid =
        RestateRequestIdentityVerifier.keyId(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    distrusting =
        ResoluteHttpServer.start(
            Endpoint.bind(new ExampleServices.Greeter())
                .withRequestIdentityVerifier(RestateRequestIdentityVerifier.fromKeys(otherKid))
                .build(),
            "127.0.0.1",
            0);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {trusting, distrusting, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  @Test
  void signedDiscoveryAndInvocationAreServed() throws Exception {
    // our base58 key id is the one the real server prints for its key
    assertThat(server.logTail()).contains("kid: \"" + kid + "\"");
    String reg = server.registerDeployment("http://127.0.0.1:" + trusting.port(), false);
    assertThat(reg).contains("Greeter");
    HttpResponse<String> r = new Ingress(server.ingressUrl()).post("/Greeter/greet", "\"Signed\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"Hello Signed\"");
  }

  @Test
  void anEndpointTrustingAnotherKeyRefusesDiscovery() {
    assertThatThrownBy(
            () -> server.registerDeployment("http://127.0.0.1:" + distrusting.port(), false))
        .hasMessageContaining("401");
  }

  @Test
  void unsignedRequestsGet401ButHealthIsOpen() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + trusting.port();
    HttpResponse<String> d =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/discover"))
                .header("accept", "application/vnd.restate.endpointmanifest.v3+json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(d.statusCode()).isEqualTo(401);
    assertThat(d.body()).contains("unsigned");
    HttpResponse<String> h =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(200);
  }
}
