package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

class KeyCatalogTest {
  @TempDir Path tmp;

  private Path file(String toml) throws IOException {
    Path f = tmp.resolve("server.toml");
    Files.writeString(f, toml);
    return f;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KeyCatalogTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every leaf key of a TOML document, dotted. */
  private static List<String> leaves(TomlTable t, String prefix) {
    List<String> out = new ArrayList<>();
    for (String k : t.keySet()) {
      String full = prefix.isEmpty() ? k : prefix + "." + k;
      Object v = t.get(List.of(k));
      if (v instanceof TomlTable sub) {
        out.addAll(leaves(sub, full));
      } else {
        out.add(full);
      }
    }
    return out;
  }

  /** The keys restate-server warns about whatever their value: the multi-node ones it prints. */
  private static final Set<String> ALWAYS_WARNED_IN_THE_DUMP =
      Set.of(
          "roles",
          "auto-provision",
          "bifrost.default-provider",
          "metadata-client.addresses",
          "networking.http2-keep-alive-interval",
          "networking.http2-keep-alive-timeout");

  /**
   * @param exact whether the multi-node keys are the only warnings (a dump made on a machine of
   *     another size also differs in its memory-derived RocksDB budgets, which are warned about)
   */
  private static void assertLoadsWithOnlyTheMultiNodeWarnings(Path dump, boolean exact)
      throws IOException {
    List<String> notes = new ArrayList<>();
    ServerConfig c = ConfigLoader.load(dump, Map.of(), Map.of(), notes);
    assertThat(c).isEqualTo(ServerConfig.defaults());
    Set<String> warned = new HashSet<>();
    for (String n : notes) {
      warned.add(n.substring(n.indexOf('"') + 1, n.indexOf('"', n.indexOf('"') + 1)));
    }
    if (exact) {
      assertThat(warned).isEqualTo(ALWAYS_WARNED_IN_THE_DUMP);
    } else {
      assertThat(warned).containsAll(ALWAYS_WARNED_IN_THE_DUMP);
    }
    TomlParseResult toml = Toml.parse(dump);
    for (String key : leaves(toml, "")) {
      assertThat(KeyCatalog.lookup(key)).as("classification of %s", key).isNotNull();
      assertThat(KeyCatalog.lookup(key).kind()).as("%s", key).isNotEqualTo(KeyCatalog.Kind.REFUSED);
    }
  }

  /** The checked-in copy of restate-server 1.7.12's {@code --dump-config} (also the defaults). */
  @Test
  void restateServersFullDumpConfigLoadsAndEveryKeyIsClassified() throws IOException {
    assertLoadsWithOnlyTheMultiNodeWarnings(file(resource(RestateDefaults.RESOURCE)), true);
  }

  /** The same, generated now by the real restate-server 1.7.12 in {@code .peers/}. */
  @Test
  void theInstalledRestateServersDumpConfigLoadsAndEveryKeyIsClassified() throws Exception {
    Path binary = Path.of(System.getProperty("restate.server.binary", ""));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(binary), "restate-server binary not installed: " + binary);
    Path dump = tmp.resolve("restate-dump.toml");
    Process p =
        new ProcessBuilder(binary.toString(), "--dump-config")
            .directory(tmp.toFile())
            .redirectOutput(dump.toFile())
            .redirectError(tmp.resolve("restate-dump.err").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(dump)).contains("[worker.invoker]");
    assertLoadsWithOnlyTheMultiNodeWarnings(dump, false);
  }

  /** Each key of the reference (a section that has keys of its own is checked through them). */
  @Test
  void everyKeyOfRestatesConfigurationReferenceIsClassified() throws IOException {
    List<String> keys = new ArrayList<>();
    for (String line : resource("restate-config-reference-keys.txt").split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        keys.add(line.strip());
      }
    }
    assertThat(keys).hasSizeGreaterThan(250);
    for (String key : keys) {
      boolean section = keys.stream().anyMatch(k -> k.startsWith(key + "."));
      if (!section) {
        assertThat(KeyCatalog.lookup(key)).as("classification of %s", key).isNotNull();
      }
    }
  }

  /** The loader reads exactly the keys the catalog calls applied (and only catalogued keys). */
  @Test
  void theCatalogAndTheLoaderAgree() {
    Set<String> read = new HashSet<>();
    ConfigLoader.load(null, Map.of(), Map.of(), new ArrayList<>(), read, false);
    for (String key : read) {
      assertThat(KeyCatalog.lookup(key)).as("catalog entry of %s", key).isNotNull();
    }
    for (KeyCatalog.Entry e : KeyCatalog.entries()) {
      if (e.kind() == KeyCatalog.Kind.APPLIED) {
        assertThat(read).as("the loader reads applied key %s", e.pattern()).contains(e.pattern());
      }
      assertThat(KeyCatalog.lookup(e.pattern())).as(e.pattern()).isEqualTo(e);
    }
  }

  /**
   * {@code --dump-config} prints every applied key (the top-level aliases as the {@code
   * [worker.invoker]} keys they set), and what it prints loads back to the same configuration.
   */
  @Test
  void dumpConfigPrintsEveryAppliedKey() throws IOException {
    ServerConfig c =
        ConfigLoader.load(
            file(
                """
                max-journal-retention = "2d"
                tracing-endpoint = "http://127.0.0.1:4317"
                [tracing-headers]
                authorization = "Bearer t"
                [worker.invoker]
                request-identity-private-key-pem-file = "/key.pem"
                [worker.invoker.additional-request-headers]
                x-a = "1"
                [worker.snapshots]
                destination = "s3://bucket/prefix"
                snapshot-interval-num-records = 1000
                snapshot-interval = "10m"
                num-retained = 3
                aws-profile = "p"
                aws-region = "local"
                aws-access-key-id = "id"
                aws-secret-access-key = "secret"
                aws-session-token = "token"
                aws-endpoint-url = "http://127.0.0.1:9000"
                aws-allow-http = true
                [cluster]
                bootstrap-servers = "127.0.0.1:9092"
                node-id = 1
                """),
            Map.of(),
            Map.of());
    String dump = c.toToml();
    TomlParseResult toml = Toml.parse(dump);
    assertThat(toml.errors()).isEmpty();
    Set<String> folded =
        Set.of(
            "request-identity-private-key-pem-file",
            "additional-request-headers",
            "connect-timeout",
            // dumped as the tracing-endpoint it overrides
            "tracing-services-endpoint");
    for (KeyCatalog.Entry e : KeyCatalog.entries()) {
      if (e.kind() == KeyCatalog.Kind.APPLIED && !folded.contains(e.pattern())) {
        assertThat(toml.contains(List.of(e.pattern().split("\\."))))
            .as("--dump-config prints %s", e.pattern())
            .isTrue();
      }
    }
    for (String key : leaves(toml, "")) {
      assertThat(KeyCatalog.lookup(key).kind()).as(key).isEqualTo(KeyCatalog.Kind.APPLIED);
    }
    assertThat(ConfigLoader.load(file(dump), Map.of(), Map.of())).isEqualTo(c);
  }

  @Test
  void aWarnedKeySetOtherwiseThanRestatesDefaultIsNamedOnceAndItsDefaultIsQuiet()
      throws IOException {
    List<String> notes = new ArrayList<>();
    ConfigLoader.load(file("[worker]\ncleanup-interval = \"1h\"\n"), Map.of(), Map.of(), notes);
    assertThat(notes).isEmpty();
    ConfigLoader.load(file("[worker]\ncleanup-interval = \"2h\"\n"), Map.of(), Map.of(), notes);
    assertThat(notes)
        .singleElement()
        .asString()
        .startsWith("configuration key \"worker.cleanup-interval\" = 2h (in server.toml TOML file)")
        .contains("no periodic scan");
    notes.clear();
    // keys restate-server does not print have no known default: warned whenever set
    ConfigLoader.load(
        null,
        Map.of(
            "RESTATE_WORKER__NUM_TIMERS_IN_MEMORY_LIMIT", "100",
            "RESTATE_WORKER__INVOKER__DISABLE_EAGER_STATE", "true"),
        Map.of(),
        notes);
    assertThat(String.join("\n", notes))
        .contains(
            "\"worker.num-timers-in-memory-limit\" = 100",
            "\"worker.invoker.disable-eager-state\" = true");
    assertThat(notes).hasSize(2);
  }

  @Test
  void keysAreCaseSensitiveAsInRestateServer() {
    // found by the configuration fuzzer: the catalog matched [worker.Invoker] as [worker.invoker]
    // and the loader, which reads worker.invoker, then failed an internal check
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("[worker.Invoker]\ninactivity-timeout = \"5s\"\n"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key \"worker.Invoker");
  }

  @Test
  void kafkaClustersAreApplied() throws IOException {
    List<String> notes = new ArrayList<>();
    ConfigLoader.load(
        file(
            "[[ingress.kafka-clusters]]\nname = \"my-cluster\"\n"
                + "brokers = [\"PLAINTEXT://127.0.0.1:9092\"]\n"),
        Map.of(),
        Map.of(),
        notes);
    assertThat(notes).isEmpty();
  }

  @Test
  void concurrentInvocationsLimitIsApplied() throws IOException {
    List<String> notes = new ArrayList<>();
    ServerConfig c =
        ConfigLoader.load(
            file("[worker.invoker]\nconcurrent-invocations-limit = 10\n"),
            Map.of(),
            Map.of(),
            notes);
    assertThat(c.worker().invoker().concurrentInvocationsLimit()).isEqualTo(10);
    assertThat(notes).isEmpty(); // applied (InvokerLimitsTest, ConcurrencyLimitIT), not warned
  }

  @Test
  void aRefusedKeyStopsTheLoadingWithTheReason() {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of(), Map.of("metadata-migration-mode", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "configuration key \"metadata-migration-mode\" on the command line"
                + " (--metadata-migration-mode) is not supported by Resolute: Resolute has no"
                + " metadata migration mode (its metadata is local; there is no restatectl)");
  }

  @Test
  void unknownKeysAreStillRefusedAndWarnedTablesStillWarnEachKeyByName() throws IOException {
    assertThatThrownBy(
            () -> ConfigLoader.load(file("[worker]\nclean-up = \"1h\"\n"), Map.of(), Map.of()))
        .hasMessage("unknown key \"worker.clean-up\" in server.toml TOML file");
    List<String> notes = new ArrayList<>();
    ConfigLoader.load(
        file("[bifrost.local]\nrocksdb-memory-ratio = 0.3\n"), Map.of(), Map.of(), notes);
    assertThat(notes)
        .singleElement()
        .asString()
        .startsWith("configuration key \"bifrost.local.rocksdb-memory-ratio\" = 0.3");
  }

  @Test
  void theMostSpecificPatternWins() {
    assertThat(KeyCatalog.lookup("worker.invoker.inactivity_timeout").kind())
        .isEqualTo(KeyCatalog.Kind.APPLIED);
    assertThat(KeyCatalog.lookup("worker.invoker.http2-keep-alive-interval").pattern())
        .isEqualTo("worker.invoker.http2-*");
    assertThat(KeyCatalog.lookup("bifrost.replicated-loglet.default-log-replication").always())
        .isTrue();
    assertThat(KeyCatalog.lookup("bifrost.replicated-loglet.rpc-timeout").pattern())
        .isEqualTo("bifrost");
    assertThat(KeyCatalog.lookup("additional-request-headers.x-foo").kind())
        .isEqualTo(KeyCatalog.Kind.APPLIED);
    assertThat(KeyCatalog.lookup("nope")).isNull();
    assertThat(KeyCatalog.lookup("worker.nope")).isNull();
  }

  @Test
  void restateDefaultsCompareByValue() {
    assertThat(RestateDefaults.same("60s", "1m")).isTrue();
    assertThat(RestateDefaults.same("32 MiB", "32.0 MiB")).isTrue();
    assertThat(RestateDefaults.same(2L, 2.0)).isTrue();
    assertThat(RestateDefaults.same("[a, b]", List.of("a", "b"))).isTrue();
    assertThat(RestateDefaults.same("2h", "1h")).isFalse();
    assertThat(RestateDefaults.of("worker.cleanup-interval", null)).isEqualTo("1h");
    assertThat(RestateDefaults.of("no-proxy", "[]")).isEqualTo(List.of());
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
  }
}
