package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestateServerProcessTest {
  /** The shape of restate-server 1.7.12's log with ANSI codes off (abridged). */
  static final String LOG =
      """
      2026-12-05T16:09:51.797659Z INFO restate_core::network::net_util
        Server listening
      on rs:worker-0
        in restate_core::network::net_util::server
          server_name: message-fabric-server\s
          uds.path: "ts-rs/vm/fabric.sock"\s
          server.address: "127.0.0.1"\s
          server.port: 41593
      2026-12-05T16:09:52.073033Z INFO restate_ingress_http::server
        Ingress HTTP listening
      on rs:worker-0
        in restate_ingress_http::server::server
          server_name: http-ingress-server\s
          uds.path: "ts-rs/vm/ingress.sock"\s
          server.address: "127.0.0.1"\s
          server.port: 44733
      2026-12-05T16:09:52.083337Z INFO restate_admin::service
        Admin API starting on: http://127.0.0.1:43501/
      2026-12-05T16:09:52.083382Z INFO restate_core::network::net_util
        Server listening
      on rs:worker-0
        in restate_core::network::net_util::server
          server_name: admin-api-server\s
          uds.path: "ts-rs/vm/admin.sock"\s
          server.address: "127.0.0.1"\s
          server.port: 43501
      """;

  @Test
  void readsTheBoundIngressAndAdminPortsFromTheLog() {
    assertThat(RestateServerProcess.boundPorts(LOG)).containsExactly(44733, 43501);
  }

  @Test
  void nothingUntilBothListenersAreLogged() {
    assertThat(RestateServerProcess.boundPorts(LOG.substring(0, LOG.indexOf("Admin API"))))
        .isNull();
  }

  @Test
  void aPortIsNotTakenFromTheNextRecord() {
    String cut = LOG.replace("    server.port: 44733\n", "");
    assertThat(RestateServerProcess.boundPorts(cut)).isNull();
  }
}
