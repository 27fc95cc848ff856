package dev.resolute.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoutingDeploymentClientTest {
  private final List<String> opened = new ArrayList<>();
  private final Exchange none =
      new Exchange() {
        @Override
        public void write(byte[] data) {}

        @Override
        public void end() {}

        @Override
        public void cancel() {}
      };

  private final DeploymentClient remote =
      new DeploymentClient() {
        @Override
        public Exchange open(
            URI uri,
            String method,
            List<Map.Entry<String, String>> headers,
            boolean http11,
            ExchangeListener listener) {
          opened.add("remote " + uri);
          return none;
        }

        @Override
        public void close() {
          opened.add("remote closed");
        }
      };

  private final LocalDeployments local =
      new LocalDeployments() {
        @Override
        public Exchange open(
            URI uri,
            String method,
            List<Map.Entry<String, String>> headers,
            boolean http11,
            ExchangeListener listener) {
          opened.add("local " + uri);
          return none;
        }

        @Override
        public CompletableFuture<UnaryResponse> request(
            URI uri,
            String method,
            List<Map.Entry<String, String>> headers,
            byte[] body,
            Duration timeout,
            int maxResponseBytes) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
          opened.add("local closed");
        }
      };

  @Test
  void inprocessUrisGoToTheLocalDeploymentsAndTheRestToTheNetwork() {
    RoutingDeploymentClient client = new RoutingDeploymentClient(remote, local);
    client.open(URI.create("inprocess://app/invoke/A/b"), "POST", List.of(), false, null);
    client.open(URI.create("INPROCESS://app/invoke/A/b"), "POST", List.of(), false, null);
    client.open(URI.create("http://127.0.0.1:9080/invoke/A/b"), "POST", List.of(), false, null);
    client.open(URI.create("https://svc.example/invoke/A/b"), "POST", List.of(), true, null);
    client.close();
    assertThat(opened)
        .containsExactly(
            "local inprocess://app/invoke/A/b",
            "local INPROCESS://app/invoke/A/b",
            "remote http://127.0.0.1:9080/invoke/A/b",
            "remote https://svc.example/invoke/A/b");
  }
}
