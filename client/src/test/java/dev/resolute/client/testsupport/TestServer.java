package dev.resolute.client.testsupport;

import dev.resolute.testsupport.Deployments;
import java.io.IOException;

/**
 * A Restate-compatible server for tests: the real {@code restate-server} as a child process ({@link
 * RealRestateServer}) or an in-process Resolute node ({@link InProcessResoluteServer}).
 */
public interface TestServer extends AutoCloseable {

  String ingressUrl();

  String adminUrl();

  /**
   * Registers the deployment at {@code uri} ({@code POST /deployments}, force) and returns the
   * body.
   */
  default String registerDeployment(String uri, boolean useHttp11)
      throws IOException, InterruptedException {
    return Deployments.register(adminUrl(), uri, useHttp11);
  }

  @Override
  void close();
}
