package dev.resolute.client.testsupport;

import dev.resolute.testsupport.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.time.Duration;

/**
 * The real {@code restate-server} 1.7.12 (installed into {@code .peers/} by {@code
 * scripts/install-peers}) as a child process on free loopback ports, with a fresh base dir under
 * {@code target/}: the sdk's {@link ServerProcess} (sdk test-jar) behind the client's {@link TestServer}.
 */
public final class RealRestateServer implements TestServer {
  private final ServerProcess process;

  private RealRestateServer(ServerProcess process) {
    this.process = process;
  }

  public static RealRestateServer start(String name) throws IOException, InterruptedException {
    if (!new File(ServerProcess.REAL_RESTATE_BINARY).canExecute()) {
      throw new IllegalStateException(
          "restate-server not found at " + ServerProcess.REAL_RESTATE_BINARY + "; run scripts/install-peers");
    }
    return new RealRestateServer(
        ServerProcess.realRestate(name, ServerProcess.Ports.free()).start(Duration.ofSeconds(60)));
  }

  @Override
  public String ingressUrl() {
    return process.ingressUrl();
  }

  @Override
  public String adminUrl() {
    return process.adminUrl();
  }

  @Override
  public void close() {
    process.close();
  }
}
