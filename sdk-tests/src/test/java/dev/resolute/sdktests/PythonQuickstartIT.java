package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.Ingress;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateCli;
import dev.resolute.testsupport.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code examples/python-quickstart} run the way its README says, against Resolute: the Greeter is
 * started ({@code python .} in the example's directory, what {@code uv run .} does), registered
 * with the official {@code restate} CLI ({@code restate deployments register
 * http://localhost:PORT}), and the quickstart's two requests answer what the quickstart expects,
 * {@code You said hi to Sarah!} and, after Alice's failing steps were retried, {@code You said hi
 * to Alice!}; each of Alice's steps succeeded exactly once (a retry skips the steps that already
 * succeeded).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonQuickstartIT {
  private static final Pattern RUNNING =
      Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");

  private ServerProcess server;
  private ChildProcess greeter;
  private int port;

  @BeforeAll
  void start() {
    // the quickstart's server, with retries 20 ms..100 ms apart instead of 500 ms..1 min, so that
    // Alice's failing steps (70 %) are retried within a second or two
    server =
        ResoluteProcess.create("quickstart")
            .env(
                Map.of(
                    "RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "20ms",
                    "RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL", "100ms"))
            .start();
    Path example =
        Path.of(System.getProperty("python.quickstart", "../examples/python-quickstart"))
            .toAbsolutePath()
            .normalize();
    assertThat(Files.isRegularFile(example.resolve("__main__.py"))).as(example.toString()).isTrue();
    greeter =
        ChildProcess.start(
            List.of(
                SdkDeployment.pythonVenv().resolve("bin/python").toString(), example.toString()),
            Map.of("BIND", "127.0.0.1:0", "PYTHONUNBUFFERED", "1", "PYTHONDONTWRITEBYTECODE", "1"),
            server.workDir().resolve("greeter.log"));
    Matcher m = greeter.awaitOutput(RUNNING, Duration.ofSeconds(60));
    port = Integer.parseInt(m.group(1));
  }

  @AfterAll
  void stop() {
    if (greeter != null) {
      greeter.kill9();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theQuickstartAnswersAsTheDocsSay() throws Exception {
    RestateCli.Result reg =
        RestateCli.against(server)
            .run("deployments", "register", "http://localhost:" + port, "--yes")
            .assertOk();
    assertThat(reg.stdout()).contains("Greeter");

    Ingress ingress = new Ingress(server.ingressUrl());
    HttpResponse<String> sarah = ingress.post("/Greeter/greet", "{\"name\": \"Sarah\"}");
    assertThat(sarah.statusCode()).as(sarah.body()).isEqualTo(200);
    assertThat(sarah.body()).isEqualTo("{\"message\":\"You said hi to Sarah!\"}");

    HttpResponse<String> alice = ingress.post("/Greeter/greet", "{\"name\": \"Alice\"}");
    assertThat(alice.statusCode()).as(alice.body() + "\n" + greeter.logTail()).isEqualTo(200);
    assertThat(alice.body()).isEqualTo("{\"message\":\"You said hi to Alice!\"}");

    String log = greeter.output();
    assertThat(count(log, "Notification sent: [0-9a-f-]+ - Alice")).as(log).isEqualTo(1);
    assertThat(count(log, "Reminder sent: ")).as(log).isEqualTo(2);
  }

  private static int count(String text, String regex) {
    return (int) Pattern.compile(regex).matcher(text).results().count();
  }
}
