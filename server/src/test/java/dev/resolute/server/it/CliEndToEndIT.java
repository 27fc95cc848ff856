package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.RestateCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(600)
class CliEndToEndIT {
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("cli-e2e");
    restate = Harness.restate(resolute);
  }

  @AfterAll
  static void stop() {
    if (restate != null) {
      restate.close();
    }
    if (resolute != null) {
      resolute.close();
    }
  }

  static RestateCli cli(Harness h, Path editor) {
    return RestateCli.against(
            "http://127.0.0.1:" + h.admin, "http://127.0.0.1:" + h.ingress, h.dir.resolve("cli"))
        .env(Map.of("EDITOR", editor.toString(), "VISUAL", editor.toString()));
  }

  @Test
  void dump() throws Exception {
    dump(restate, "zqa");
    dump(resolute, "zqb");
  }

  static void dump(Harness h, String tag) throws Exception {
    Path editor = h.dir.resolve("editor.sh");
    Files.writeString(
        editor,
        "#!/bin/sh\ncp \"$1\" \"$1.seen\"\necho \"$@\" >> " + h.dir.resolve("editor.args") + "\n");
    editor.toFile().setExecutable(true);
    RestateCli cli = cli(h, editor);
    List<String> out = new ArrayList<>();
    assertThat(h.call("/Greeter/greet", "\"ann\"").statusCode()).isEqualTo(200);
    assertThat(h.call("/Counter/" + tag + "a/add", "5").statusCode()).isEqualTo(200);
    String idem =
        h.call("/Greeter/greet", "\"bob\"", "idempotency-key", "idem-1")
            .headers()
            .firstValue("x-restate-id")
            .orElseThrow();
    String sleepy = h.sendId("/Greeter/sleepy/send", "3600000");
    String hold = h.sendId("/Counter/" + tag + "h/hold/send", "\"" + tag + "h\"");
    h.published("awk-" + tag + "h");
    String queued = h.sendId("/Counter/" + tag + "h/add/send", "1");
    String backsOff = h.sendId("/Tree/backsOff/send", "\"" + tag + "b\"");
    String scheduled = h.sendId("/Greeter/greet/send?delay=1h", "\"later\"");
    assertThat(h.call("/Greeter/callOther", "\"cx\"").statusCode()).isEqualTo(200);
    assertThat(h.call("/Greeter/flaky", "\"" + tag + "f\"").statusCode()).isEqualTo(200);
    assertThat(h.call("/Greeter/crashy", "\"" + tag + "c\"").statusCode()).isEqualTo(200);
    h.sendId("/Signup/" + tag + "w/run/send", "\"wf\"");
    Thread.sleep(3000);
    for (String q :
        List.of(
            "select id, target, invoked_by, invoked_by_id, idempotency_key, pinned_deployment_id,"
                + " last_failure, last_failure_error_code, last_failure_related_command_index,"
                + " last_failure_related_command_name, last_failure_related_command_type from sys_invocation",
            "select id, index, entry_type, name, entry_json, entry_lite_json from sys_journal order by id, index",
            "select * from sys_journal_events",
            "select * from sys_keyed_service_status")) {
      out.add(q + "\n" + SqlComparisonIT.rows(h, q).toPrettyString());
    }
    String[][] cmds = {
      {"invocations", "list"},
      {"invocations", "list", "--all"},
      {"invocations", "describe", sleepy},
      {"invocations", "describe", idem},
      {"invocations", "describe", backsOff},
      {"invocations", "describe", queued},
      {"invocations", "describe", scheduled},
      {"services", "status"},
      {"services", "status", "Counter"},
      {"kv", "get", "Counter", tag + "a"},
      {
        "kv",
        "patch",
        "Counter",
        tag + "a",
        "--patch",
        "[{\"op\":\"replace\",\"path\":\"/count\",\"value\":7}]",
        "--yes"
      },
      {"kv", "get", "Counter", tag + "a"},
      {"kv", "edit", "Counter", tag + "a", "--yes"},
      {"kv", "clear", "Counter/" + tag + "a", "--yes"},
      {"kv", "get", "Counter", tag + "a"},
      {"sql", "select target, status from sys_invocation order by target"},
      {"invocations", "cancel", sleepy, "--yes"},
      {"invocations", "kill", hold, "--yes"},
      {"invocations", "purge", idem, "--yes"},
      {"invocations", "restart-as-new", idem, "--yes"},
      {"services", "config", "edit", "Greeter", "--yes"},
      {"services", "config", "view", "Greeter"},
      {"deployments", "register", "http://127.0.0.1:" + h.servicesPort, "--yes"},
      {"deployments", "list"},
      {"invocations", "list", "--all"},
    };
    for (String[] c : cmds) {
      RestateCli.Result r = cli.run(c);
      out.add(r.toString());
    }
    Files.writeString(
        Path.of("target/cli-dump-" + (h.reference ? "restate" : "resolute") + ".txt"),
        String.join("\n=========\n", out));
  }
}
