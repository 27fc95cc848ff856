package dev.resolute.client.testsupport;

import dev.resolute.testsupport.RestateServerProcess;

/**
 * The real {@code restate-server} 1.7.12 (installed into {@code .peers/} by {@code
 * scripts/install-peers}) as a child process on ports it binds itself, with a fresh work dir under
 * {@code target/processes/}: test-support's {@link RestateServerProcess} behind the client's {@link
 * TestServer}.
 */
public final class RealRestateServer implements TestServer {
  private final RestateServerProcess process;

  private RealRestateServer(RestateServerProcess process) {
    this.process = process;
  }

  public static RealRestateServer start(String name) {
    return new RealRestateServer(RestateServerProcess.create(name).start());
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
