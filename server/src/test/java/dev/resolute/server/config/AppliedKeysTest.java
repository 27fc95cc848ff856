package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.identity.RequestSigner;
import dev.resolute.server.log.LogOptions;
import dev.resolute.server.logging.JsonLayout;
import dev.resolute.server.schema.SchemaRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys applied by Resolute: each changes what the server does. (Keys tested elsewhere: the
 * retentions, invoker timeouts and default retry policy in {@code ConfigLoaderTest} and {@code
 * SchemaRegistryTest}; base-dir, node-name and default-num-partitions in {@code MainTest};
 * worker.invoker.request-identity-private-key-pem-file in {@code RequestIdentityIT}; the bind
 * addresses in every IT; the ingress size limit, log-filter and log-format with a real process in
 * {@code ConfigKeysIT}; connect-timeout and additional-request-headers at the transport in {@code
 * DeploymentClientOptionsIT}; the [resolute] log keys in {@code LogTrimmingIT}.)
 */
class AppliedKeysTest {
  @TempDir Path tmp;

  private Path file(String toml) throws IOException {
    Path f = tmp.resolve("server.toml");
    Files.writeString(f, toml);
    return f;
  }

  private static final String MANIFEST =
      "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
          + "\"services\":[{\"name\":\"S\",\"ty\":\"SERVICE\",\"journalRetention\":172800000,"
          + "\"handlers\":[{\"name\":\"long\",\"journalRetention\":864000000},"
          + "{\"name\":\"short\",\"journalRetention\":60000},{\"name\":\"plain\"}]}]}";

  private static SchemaRegistry registryWith(ServerConfig c) throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory(c.schemaDefaults(), Clock.systemUTC());
    r.register(
        new DiscoveredEndpoint(
            "http://a/", false, DiscoveryClient.parse(MANIFEST), "test-sdk/1", 4),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    return r;
  }

  @Test
  void maxJournalRetentionCapsEveryHandlersJournalRetention() throws Exception {
    ServerConfig uncapped = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(registryWith(uncapped).service("S").orElseThrow().handler("long").journalRetention())
        .isEqualTo(Duration.ofDays(10));
    ServerConfig capped =
        ConfigLoader.load(file("max-journal-retention = \"1d\"\n"), Map.of(), Map.of());
    assertThat(capped.maxJournalRetention()).isEqualTo(Duration.ofDays(1));
    var s = registryWith(capped).service("S").orElseThrow();
    assertThat(s.handler("long").journalRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(s.handler("plain").journalRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(s.handler("short").journalRetention()).isEqualTo(Duration.ofMinutes(1));
    assertThat(capped.toToml()).contains("max-journal-retention = \"1d\"");
  }

  private Path ed25519Pem() throws Exception {
    var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Path f = tmp.resolve("key.pem");
    Files.writeString(f, pem);
    return f;
  }

  @Test
  void theTopLevelRequestIdentityKeyAndItsEnvironmentVariableSignRequests() throws Exception {
    Path pem = ed25519Pem();
    List<String> notes = new ArrayList<>();
    ServerConfig fromEnv =
        ConfigLoader.load(
            null,
            Map.of("RESTATE_REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE", pem.toString()),
            Map.of(),
            notes);
    assertThat(fromEnv.worker().invoker().requestIdentityPrivateKeyPemFile()).isEqualTo(pem);
    assertThat(notes).singleElement().asString().contains("deprecated");
    ServerConfig fromFile =
        ConfigLoader.load(
            file("request-identity-private-key-pem-file = \"" + pem + "\"\n"), Map.of(), Map.of());
    assertThat(fromFile.worker().invoker().requestIdentityPrivateKeyPemFile()).isEqualTo(pem);
    // [worker.invoker]'s own key wins
    ServerConfig both =
        ConfigLoader.load(
            file(
                "request-identity-private-key-pem-file = \"/elsewhere.pem\"\n"
                    + "[worker.invoker]\nrequest-identity-private-key-pem-file = \""
                    + pem
                    + "\"\n"),
            Map.of(),
            Map.of());
    assertThat(both.worker().invoker().requestIdentityPrivateKeyPemFile()).isEqualTo(pem);
  }

  @Test
  void requestIdentityExpirationIsTheLifetimeOfEachJwt() throws Exception {
    Path pem = ed25519Pem();
    ServerConfig c =
        ConfigLoader.load(
            file(
                "[worker.invoker]\nrequest-identity-private-key-pem-file = \""
                    + pem
                    + "\"\nrequest-identity-expiration = \"5m\"\n"),
            Map.of(),
            Map.of());
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_000_000), ZoneOffset.UTC);
    RequestSigner signer =
        RequestSigner.fromPemFile(
            c.worker().invoker().requestIdentityPrivateKeyPemFile(),
            c.worker().invoker().requestIdentityExpiration(),
            clock);
    String jwt = signer.headers("/invoke/S/h", null).get(1).getValue();
    JsonNode claims =
        new ObjectMapper()
            .readTree(
                new String(
                    Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
    assertThat(ServerConfig.defaults().worker().invoker().requestIdentityExpiration())
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void connectTimeoutAndAdditionalHeadersMergeTopLevelAndInvokerSettings() throws IOException {
    ServerConfig c =
        ConfigLoader.load(
            file(
                """
                connect-timeout = "3s"
                [additional-request-headers]
                x-a = "top"
                x-b = "top"
                [worker.invoker.additional-request-headers]
                x-b = "invoker"
                x-restate-cluster-name = "localcluster"
                """),
            Map.of(),
            Map.of());
    assertThat(c.worker().invoker().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    // restate-server's default header (the cluster name) is sent anyway, so not repeated
    assertThat(c.worker().invoker().additionalRequestHeaders())
        .isEqualTo(Map.of("x-a", "top", "x-b", "invoker"));
    ServerConfig env =
        ConfigLoader.load(
            null,
            Map.of(
                "RESTATE_WORKER__INVOKER__CONNECT_TIMEOUT", "250ms",
                "RESTATE_WORKER__INVOKER__ADDITIONAL_REQUEST_HEADERS", "{x-env = \"v\"}"),
            Map.of());
    assertThat(env.worker().invoker().connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(env.worker().invoker().additionalRequestHeaders()).isEqualTo(Map.of("x-env", "v"));
    assertThat(ConfigLoader.load(file(c.toToml()), Map.of(), Map.of())).isEqualTo(c);
  }

  @Test
  void requestSizeLimitIsReadAsRestateWritesSizes() throws IOException {
    ServerConfig c =
        ConfigLoader.load(
            file("[ingress]\nrequest-size-limit = \"1.0 KiB\"\n"), Map.of(), Map.of());
    assertThat(c.ingress().requestSizeLimit()).isEqualTo(1024);
    assertThat(
            ConfigLoader.load(null, Map.of("RESTATE_INGRESS__REQUEST_SIZE_LIMIT", "2048"), Map.of())
                .ingress()
                .requestSizeLimit())
        .isEqualTo(2048);
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("[ingress]\nrequest-size-limit = \"lots\"\n"), Map.of(), Map.of()))
        .hasMessageContaining("for key \"ingress.request-size-limit\" in server.toml TOML file");
  }

  @Test
  void resoluteSectionFromTomlEnvAndTheOlderVariables() throws IOException {
    ServerConfig d = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(d.resolute()).isEqualTo(ResoluteConfig.defaults());
    assertThat(d.toToml())
        .contains(
            "[resolute]",
            "log-segment-bytes = \"64.0 MiB\"",
            "log-trim-interval = \"10s\"",
            "store-flush-records = 16384");
    // the node builds its LogOptions from this section: without a setting they are the log's
    // defaults (the section once kept its own 4096 checkpoint records, and the node ran with it)
    assertThat(
            new LogOptions(
                d.resolute().logSegmentBytes(),
                d.resolute().logTrimInterval(),
                d.resolute().storeFlushRecords(),
                d.resolute().storeFlushInterval()))
        .isEqualTo(LogOptions.DEFAULTS);
    ServerConfig toml =
        ConfigLoader.load(
            file("[resolute]\nlog-segment-bytes = 16384\nlog-trim-interval = \"200ms\"\n"),
            Map.of(),
            Map.of());
    assertThat(toml.resolute()).isEqualTo(new ResoluteConfig(16384, Duration.ofMillis(200)));
    ServerConfig env =
        ConfigLoader.load(
            null,
            Map.of(
                "RESTATE_RESOLUTE__LOG_SEGMENT_BYTES", "1 MiB",
                "RESTATE_RESOLUTE__LOG_TRIM_INTERVAL", "0s"),
            Map.of());
    assertThat(env.resolute()).isEqualTo(new ResoluteConfig(1 << 20, Duration.ZERO));
    Map<String, String> old =
        Map.of("RESOLUTE_LOG_SEGMENT_BYTES", "16384", "RESOLUTE_LOG_TRIM_INTERVAL_MS", "200");
    assertThat(ConfigLoader.load(null, old, Map.of()).resolute())
        .isEqualTo(new ResoluteConfig(16384, Duration.ofMillis(200)));
    // the older variables yield to the file and to RESTATE_RESOLUTE__…
    assertThat(
            ConfigLoader.load(file("[resolute]\nlog-segment-bytes = 8192\n"), old, Map.of())
                .resolute()
                .logSegmentBytes())
        .isEqualTo(8192);
    Map<String, String> both = new java.util.HashMap<>(old);
    both.put("RESTATE_RESOLUTE__LOG_SEGMENT_BYTES", "32768");
    assertThat(ConfigLoader.load(null, both, Map.of()).resolute().logSegmentBytes())
        .isEqualTo(32768);
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("[resolute]\nlog-segment-bytes = 100\n"), Map.of(), Map.of()))
        .hasMessageContaining("resolute.log-segment-bytes must be at least 4096 bytes");
    assertThatThrownBy(() -> ConfigLoader.load(file("[resolute]\nnope = 1\n"), Map.of(), Map.of()))
        .hasMessageContaining("unknown key \"resolute.nope\"");
  }

  @Test
  void logFilterAndFormatFromEveryPlace() throws IOException {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).logging())
        .isEqualTo(LoggingConfig.defaults());
    assertThat(
            ConfigLoader.load(
                    file("log-format = \"json\"\nlog-filter = \"debug\"\n"), Map.of(), Map.of())
                .logging())
        .isEqualTo(new LoggingConfig("debug", LoggingConfig.Format.JSON));
    assertThat(ConfigLoader.load(null, Map.of("RUST_LOG", "info"), Map.of()).logging().filter())
        .isEqualTo("info");
    assertThat(
            ConfigLoader.load(null, Map.of("RESOLUTE_LOG_LEVEL", "debug"), Map.of())
                .logging()
                .filter())
        .isEqualTo("warn,restate=debug");
    assertThat(
            ConfigLoader.load(null, Map.of(), Map.of("log-format", "compact")).logging().format())
        .isEqualTo(LoggingConfig.Format.COMPACT);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("log-format", "xml")))
        .hasMessage(
            "unknown variant \"xml\", expected one of \"pretty\", \"compact\", \"json\" for key"
                + " \"log-format\"");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("log-filter", "x=loud")))
        .hasMessageContaining("invalid log filter directive \"x=loud\"");
  }

  @Test
  void logFilterDirectives() {
    LogFilter f = LogFilter.parse("warn,restate=debug,io.netty=error,hyper::client=trace");
    assertThat(f.rootLevel()).isEqualTo("warn");
    assertThat(f.targets())
        .isEqualTo(Map.of("dev.resolute", "debug", "io.netty", "error", "hyper.client", "trace"));
    assertThat(LogFilter.parse("info").targets()).isEmpty();
  }

  @Test
  void jsonLayoutWritesOneObjectPerLine() throws Exception {
    LoggerContext ctx = new LoggerContext();
    ch.qos.logback.classic.Logger logger = ctx.getLogger("dev.resolute.server.Main");
    LoggingEvent e =
        new LoggingEvent(
            "x",
            logger,
            Level.WARN,
            "two\nlines \"quoted\" {}",
            new IllegalStateException("boom"),
            new Object[] {42});
    e.setMDCPropertyMap(Map.of("restate.invocation.id", "inv_1"));
    JsonLayout layout = new JsonLayout();
    layout.setContext(ctx);
    layout.start();
    String line = layout.doLayout(e);
    assertThat(line).endsWith("}\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    JsonNode j = new ObjectMapper().readTree(line);
    assertThat(j.get("level").asText()).isEqualTo("WARN");
    assertThat(j.get("target").asText()).isEqualTo("dev.resolute.server.Main");
    assertThat(j.get("fields").get("message").asText()).isEqualTo("two\nlines \"quoted\" 42");
    assertThat(j.get("fields").get("restate.invocation.id").asText()).isEqualTo("inv_1");
    assertThat(j.get("fields").get("exception").asText()).contains("IllegalStateException: boom");
    assertThat(Instant.parse(j.get("timestamp").asText())).isNotNull();
  }
}
