package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class RestateCliIT {

  @Test
  void theOfficialCliTalksToTheServerItIsPointedAt() {
    try (RestateServerProcess server = RestateServerProcess.create("cli-it").start()) {
      RestateCli cli = RestateCli.against(server);
      RestateCli.Result whoami = cli.run("whoami").assertOk();
      assertThat(whoami.stdout()).contains(server.adminUrl());
      RestateCli.Result list = cli.run("deployments", "list");
      assertThat(list.exitCode()).as(list.toString()).isZero();
    }
  }
}
