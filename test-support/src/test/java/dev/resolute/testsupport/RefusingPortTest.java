package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RefusingPortTest {

  @Test
  void connectionsAreRefusedAndThePortCannotBeTakenMeanwhile() throws Exception {
    try (RefusingPort port = RefusingPort.open()) {
      assertThat(port.port()).isPositive();
      assertThatThrownBy(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress("127.0.0.1", port.port()), 2000);
                }
              })
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(
              () ->
                  new ServerSocket(port.port(), 50, java.net.InetAddress.getLoopbackAddress())
                      .close())
          .isInstanceOf(java.net.BindException.class);
    }
  }
}
