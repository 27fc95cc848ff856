package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class RestateServerProcessIT {

  @Test
  void twoServersAtOnceOnPortsTheyBoundThemselvesAndARestartKeepsTheData() throws Exception {
    try (RestateServerProcess a =
            RestateServerProcess.create("it-a").env(Map.of("RESTATE_DEFAULT_NUM_PARTITIONS", "2"));
        RestateServerProcess b = RestateServerProcess.create("it-b")) {
      a.start();
      b.start();
      assertThat(a.ingressPort()).isNotEqualTo(b.ingressPort());
      assertThat(Http.status(a.adminUrl() + "/health")).isEqualTo(200);
      assertThat(Http.status(b.ingressUrl() + "/restate/health")).isEqualTo(200);
      long pid = a.pid();
      a.restart();
      assertThat(a.pid()).isNotEqualTo(pid);
      assertThat(Http.status(a.adminUrl() + "/health")).isEqualTo(200);
      assertThat(a.logTail()).contains("server_name: admin-api-server");
    }
  }
}
