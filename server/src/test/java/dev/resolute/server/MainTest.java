package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintWriter(out), new PrintWriter(err), false);
  }

  /**
   * A node started here binds loopback port 0, never the default 8080/9070 another test or server
   * may hold.
   */
  private static final Map<String, String> ANY_PORT =
      Map.of(
          "RESTATE_INGRESS__BIND_ADDRESS",
          "127.0.0.1:0",
          "RESTATE_ADMIN__BIND_ADDRESS",
          "127.0.0.1:0",
          "RESTATE_BIND_ADDRESS",
          "127.0.0.1:0");

  @Test
  void dumpConfigAppliesCliOverEnvOverFile() throws Exception {
    Path f = tmp.resolve("c.toml");
    Files.writeString(
        f,
        "node-name = \"file\"\ncluster-name = \"fc\"\n[admin]\nbind-address = \"127.0.0.1:1\"\n");
    int code =
        run(
            Map.of("RESTATE_NODE_NAME", "env", "RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:2"),
            "--config-file",
            f.toString(),
            "--node-name",
            "cli",
            "--dump-config");
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("node-name = \"cli\"", "cluster-name = \"fc\"", "bind-address = \"127.0.0.1:2\"");
  }

  @Test
  void restateConfigEnvNamesTheFile() throws Exception {
    Path f = tmp.resolve("c.toml");
    Files.writeString(f, "cluster-name = \"viaenv\"\n");
    assertThat(run(Map.of("RESTATE_CONFIG", f.toString()), "--dump-config")).isZero();
    assertThat(out.toString()).contains("cluster-name = \"viaenv\"");
  }

  @Test
  void badConfigExitsNonZeroWithRt0002() throws Exception {
    Path f = tmp.resolve("bad.toml");
    Files.writeString(f, "[ingress]\nbind-address = \"localhost\"\n");
    assertThat(run(Map.of(), "--config-file", f.toString())).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("[RT0002] configuration loading error: ")
        .contains("for key \"ingress.bind-address\" in bad.toml TOML file");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run(Map.of(), "--nope")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--nope'");
  }

  @Test
  void portsFileNamesThePortsBoundForPortZero() throws Exception {
    Path ports = tmp.resolve("server.ports");
    System.setProperty("resolute.ports.file", ports.toString());
    try {
      assertThat(run(ANY_PORT, "--base-dir", tmp.resolve("data").toString())).isZero();
    } finally {
      System.clearProperty("resolute.ports.file");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(ports)) {
      p.load(in);
    }
    assertThat(Integer.parseInt(p.getProperty("ingress"))).isPositive();
    assertThat(Integer.parseInt(p.getProperty("admin")))
        .isPositive()
        .isNotEqualTo(Integer.parseInt(p.getProperty("ingress")));
    assertThat(Integer.parseInt(p.getProperty("node")))
        .isPositive()
        .isNotIn(
            Integer.parseInt(p.getProperty("ingress")), Integer.parseInt(p.getProperty("admin")));
    assertThat(ports.resolveSibling("server.ports.tmp")).doesNotExist();
  }

  @Test
  void startCreatesTheNodeDirectory() {
    assertThat(run(ANY_PORT, "--base-dir", tmp.toString(), "--node-name", "n7")).isZero();
    assertThat(tmp.resolve("n7").resolve("resolute-node.properties")).exists();
    assertThat(
            run(
                Map.of(),
                "--base-dir",
                tmp.toString(),
                "--node-name",
                "n7",
                "--default-num-partitions",
                "3"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("default-num-partitions = 3 differs from 24");
  }

  @Test
  void helpAndVersionAnswerWithoutStarting() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString())
        .startsWith("Usage: resolute-server")
        .contains("--config-file=FILE", "--base-dir=DIR", "--node-name=NAME", "--dump-config");
    assertThat(run(Map.of(), "-V")).isZero();
    assertThat(out.toString()).contains("resolute-server 0.1.0");
  }

  @Test
  void optionsTakeTheirValueAfterAnEqualsSignOrAsTheNextArgument() {
    assertThat(
            run(
                Map.of(),
                "--node-name=eq",
                "-c",
                tmp.resolve("none.toml").toString(),
                "--dump-config"))
        .isEqualTo(1); // the named file does not exist
    assertThat(run(Map.of(), "--node-name=eq", "--cluster-name", "nx", "--dump-config")).isZero();
    assertThat(out.toString()).contains("node-name = \"eq\"", "cluster-name = \"nx\"");
  }

  @Test
  void aMissingValueOrAStrayArgumentIsAUsageError() {
    assertThat(run(Map.of(), "--base-dir")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Missing required parameter for option '--base-dir' (DIR)", "Usage:");
    assertThat(run(Map.of(), "serve")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument at index 0: 'serve'");
  }
}
