package dev.resolute.client.testsupport;

import dev.resolute.server.ResoluteServer;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Resolute node in this JVM on OS-assigned loopback ports, data in a fresh dir under {@code
 * target/}.
 */
public final class InProcessResoluteServer implements TestServer {
  private final ResoluteServer server;

  private InProcessResoluteServer(ResoluteServer server) {
    this.server = server;
  }

  public static InProcessResoluteServer start(String name) throws IOException {
    Path base = Path.of("target", "resolute-" + name + "-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(base);
    ServerConfig config =
        ConfigLoader.load(
            null,
            Map.of(),
            Map.of(
                "base-dir", base.toString(),
                "default-num-partitions", "4",
                "ingress.bind-address", "127.0.0.1:0",
                "admin.bind-address", "127.0.0.1:0",
                "bind-address", "127.0.0.1:0"));
    return new InProcessResoluteServer(ResoluteServer.start(config));
  }

  @Override
  public String ingressUrl() {
    return "http://127.0.0.1:" + server.ingressPort();
  }

  @Override
  public String adminUrl() {
    return "http://127.0.0.1:" + server.adminPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
