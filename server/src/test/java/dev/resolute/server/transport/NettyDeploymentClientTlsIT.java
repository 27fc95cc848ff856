package dev.resolute.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.server.admin.AdmGreeter;
import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} deployments: the official Java SDK served over TLS (a certificate made by the
 * JDK's keytool for 127.0.0.1), reached over HTTP/2 (ALPN h2) and HTTP/1.1, trusted through an
 * extra PEM bundle as restate-server trusts {@code SSL_CERT_FILE}; without it the handshake fails
 * with a connect error that says why.
 */
@Timeout(120)
class NettyDeploymentClientTlsIT {
  @TempDir static Path dir;
  private static NioEventLoopGroup group;
  private static HttpServer sdk;
  private static Path caPem;

  @BeforeAll
  static void setUp() throws Exception {
    Path ks = dir.resolve("deployment.p12");
    caPem = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "dep",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "dep",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit",
        "-file",
        caPem.toString());
    sdk =
        RestateHttpServer.fromEndpoint(
            Endpoint.bind(new AdmGreeter()).build(),
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(
                    new PfxOptions().setPath(ks.toString()).setPassword("changeit")));
    sdk.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    group = new NioEventLoopGroup(1);
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @AfterAll
  static void tearDown() throws Exception {
    sdk.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static URI discover() {
    return URI.create("https://127.0.0.1:" + sdk.actualPort() + "/discover");
  }

  private static List<Map.Entry<String, String>> headers() {
    return List.of(Map.entry("accept", ProtocolVersion.DISCOVERY_ACCEPT));
  }

  @Test
  void discoverOverHttpsWithHttp2AndHttp11() throws Exception {
    NettyDeploymentClient client =
        new NettyDeploymentClient(group, NettyDeploymentClient.Options.DEFAULTS, caPem);
    try {
      for (boolean http11 : new boolean[] {false, true, false}) {
        UnaryResponse r =
            client
                .request(discover(), "GET", headers(), null, http11, Duration.ofSeconds(20))
                .get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo(http11 ? "HTTP/1.1" : "HTTP/2.0");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("AdmGreeter");
      }
    } finally {
      client.close();
    }
  }

  @Test
  void anUntrustedCertificateIsAConnectErrorNamingTls() throws Exception {
    NettyDeploymentClient client = new NettyDeploymentClient(group);
    try {
      for (boolean http11 : new boolean[] {false, true}) {
        try {
          client
              .request(discover(), "GET", headers(), null, http11, Duration.ofSeconds(20))
              .get(30, TimeUnit.SECONDS);
          throw new AssertionError("expected a TLS failure");
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(TransportException.class);
          assertThat(((TransportException) e.getCause()).kind())
              .isEqualTo(TransportException.Kind.CONNECT);
          assertThat(e.getCause().getMessage()).startsWith("TLS handshake failed");
        }
      }
    } finally {
      client.close();
    }
  }

  @Test
  void aMissingCaFileIsReportedByName() throws Exception {
    NettyDeploymentClient client =
        new NettyDeploymentClient(
            group, NettyDeploymentClient.Options.DEFAULTS, dir.resolve("nope.pem"));
    try {
      client
          .request(discover(), "GET", headers(), null, false, Duration.ofSeconds(20))
          .get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(((TransportException) e.getCause()).kind())
          .isEqualTo(TransportException.Kind.UNSUPPORTED);
      assertThat(e.getCause().getMessage()).contains("nope.pem");
    } finally {
      client.close();
    }
  }
}
