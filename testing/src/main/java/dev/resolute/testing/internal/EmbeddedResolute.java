package dev.resolute.testing.internal;

import dev.resolute.server.ResoluteServer;
import dev.resolute.server.config.AdminConfig;
import dev.resolute.server.config.BindAddress;
import dev.resolute.server.config.IngressConfig;
import dev.resolute.server.config.NodeConfig;
import dev.resolute.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Path;

/** A Resolute server inside this JVM: temporary data directory, loopback, OS-assigned ports. */
public final class EmbeddedResolute implements TestServer {
  private final Path baseDir;
  private final ResoluteServer server;

  private EmbeddedResolute(Path baseDir, ResoluteServer server) {
    this.baseDir = baseDir;
    this.server = server;
  }

  public static EmbeddedResolute start(int partitions) {
    Path baseDir = TempDirs.create("resolute-test-");
    ServerConfig d = ServerConfig.defaults();
    BindAddress anyPort = new BindAddress("127.0.0.1", 0);
    ServerConfig config =
        new ServerConfig(
            baseDir,
            d.nodeName(),
            d.clusterName(),
            partitions,
            d.defaultJournalRetention(),
            d.defaultIdempotencyRetention(),
            d.defaultWorkflowCompletionRetention(),
            d.defaultRetryPolicy(),
            new IngressConfig(anyPort),
            new AdminConfig(anyPort),
            d.worker(),
            d.maxJournalRetention(),
            d.logging(),
            d.resolute(),
            new NodeConfig(anyPort, false));
    try {
      return new EmbeddedResolute(baseDir, ResoluteServer.start(config));
    } catch (RuntimeException e) {
      TempDirs.deleteQuietly(baseDir);
      throw e;
    }
  }

  @Override
  public URI ingressUri() {
    return URI.create("http://127.0.0.1:" + server.ingressPort());
  }

  @Override
  public URI adminUri() {
    return URI.create("http://127.0.0.1:" + server.adminPort());
  }

  @Override
  public String description() {
    return "resolute (embedded, data in " + baseDir + ")";
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      TempDirs.deleteQuietly(baseDir);
    }
  }
}
