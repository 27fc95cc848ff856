package dev.resolute.client.testsupport;

import dev.resolute.server.ResoluteServer;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.config.ServerConfig;
import dev.resolute.testsupport.TestData;
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
  private final Path base;

  private InProcessResoluteServer(ResoluteServer server, Path base) {
    this.server = server;
    this.base = base;
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
    return new InProcessResoluteServer(ResoluteServer.start(config), base);
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
    TestData.deleteUnlessKept(base);
  }
}
