package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ProcessExitedException;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import dev.resolute.testsupport.Wait;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Start-up failures with a known cause, with real processes: a port in use (RT0004) is found before
 * anything is written to the data directory, and a data directory whose store another process holds
 * (RT0005) is one clear line without a stack trace. restate-server 1.7.12 reports both as one error
 * too (RT0004 with the address; the lock with RocksDB's "lock file" reason) and exits 1.
 */
@Timeout(180)
class StartupErrorsIT {

  @Test
  void aPortInUseIsReportedBeforeTheDataDirectoryIsCreated() throws Exception {
    try (ServerSocket taken = listening()) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      Path work = ServerProcess.newWorkDir("startup-port");
      Path base = work.resolve("data");
      ChildProcess p =
          launch(base, Map.of("RESTATE_INGRESS__BIND_ADDRESS", address), work.resolve("out.log"));
      String out = awaitExit(p);
      assertThat(out)
          .contains("[RT0004] cannot start: failed binding ingress to address '" + address + "'")
          .doesNotContain("\tat ")
          .doesNotContain("Exception");
      assertThat(base).doesNotExist();

      // restate-server refuses the same (its stderr: "Failed: [http-ingress-server] failed binding
      // to address '…': Address in use (os error 98)")
      try (ServerProcess restate =
          RestateServerProcess.create("startup-port")
              .env(Map.of("RESTATE_INGRESS__BIND_ADDRESS", address))) {
        assertThatThrownBy(restate::start).isInstanceOf(ProcessExitedException.class);
        assertThat(Files.readString(restate.log()))
            .contains("failed binding to address '" + address + "'");
      }
    }
  }

  @Test
  void aLockedStoreIsOneLineWithoutAStackTrace() throws Exception {
    try (ResoluteProcess first = ResoluteProcess.create("startup-lock").start()) {
      ChildProcess second =
          launch(first.dataDir(), Map.of(), first.workDir().resolve("second.log"));
      String out = awaitExit(second);
      List<String> errors = out.lines().filter(l -> l.contains("RT0005")).toList();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0))
          .startsWith("[RT0005] cannot start: RocksDB at ")
          .contains("is locked by another process")
          .contains("LOCK");
      assertThat(out).doesNotContain("\tat ").doesNotContain("Exception");
      // the first node is not disturbed
      assertThat(dev.resolute.testsupport.Http.status(first.adminUrl() + "/health")).isEqualTo(200);
    }
  }

  private static ServerSocket listening() throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  /**
   * Resolute's main on {@code base} with both ports on 127.0.0.1:0 unless {@code env} says else.
   */
  private static ChildProcess launch(Path base, Map<String, String> env, Path log) {
    Map<String, String> all = new java.util.HashMap<>();
    all.put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:0");
    all.put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:0");
    all.putAll(env);
    return ChildProcess.start(
        ChildProcess.javaCommand(
            ChildProcess.testClasspath(),
            List.of(),
            "dev.resolute.server.Main",
            List.of("--base-dir", base.toString(), "--no-logo")),
        all,
        log);
  }

  private static String awaitExit(ChildProcess p) throws Exception {
    Wait.until("the server to exit", Duration.ofSeconds(60), () -> !p.isAlive());
    return p.output();
  }
}
