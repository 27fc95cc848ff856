package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.RestateCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official {@code restate} CLI 1.7.12 against Resolute, for the commands that use only the
 * admin endpoints (no {@code POST /query}): whoami, services list|describe|config view, deployments
 * list|describe. Admin calls observed with {@code -vvv}: every command first {@code GET /version};
 * whoami then {@code GET /v4/health}; services list and deployments list {@code GET /v4/services}
 * and {@code GET /v4/deployments}; services describe {@code GET /v4/services/{svc}} and its
 * deployment; config view {@code GET /v4/services/{svc}}.
 */
@Timeout(300)
class AdminCliIT {
  static Harness resolute;
  static RestateCli cli;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("admin-cli");
    cli =
        RestateCli.against(
            "http://127.0.0.1:" + resolute.admin,
            "http://127.0.0.1:" + resolute.ingress,
            resolute.dir.resolve("cli"));
  }

  @AfterAll
  static void stop() {
    if (resolute != null) {
      resolute.close();
    }
  }

  @Test
  void whoami() {
    String out = cli.run("whoami").assertOk().stdout();
    assertThat(out).contains("Admin base URL").contains("127.0.0.1:" + resolute.admin);
  }

  @Test
  void servicesListDescribeAndConfigView() {
    assertThat(cli.run("services", "list").assertOk().stdout())
        .contains("Counter")
        .contains("virtual object")
        .contains("ShortFlow")
        .contains("workflow");
    assertThat(cli.run("services", "describe", "Counter").assertOk().stdout())
        .contains("Counter")
        .contains("VirtualObject")
        .contains("JSON integer")
        .contains("clearAll");
    assertThat(cli.run("services", "config", "view", "Counter").assertOk().stdout())
        .contains("Idempotent requests retention:  1d")
        .contains("Abort timeout:  10m");
  }

  @Test
  void deploymentsListAndDescribe() throws Exception {
    String list = cli.run("deployments", "list").assertOk().stdout();
    assertThat(list).contains("127.0.0.1:" + resolute.servicesPort);
    String id = list.replaceAll("(?s).*(dp_1[0-9A-Za-z]{22}).*", "$1");
    assertThat(id).startsWith("dp_1");
    assertThat(cli.run("deployments", "describe", id).assertOk().stdout())
        .contains(id)
        .contains("Counter");
  }
}
