package dev.resolute.server.transport;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Sends exchanges for in-process deployments ({@link LocalDeployments#isLocal}) to {@code local}
 * and every other one to {@code remote}, so local and remote deployments serve side by side.
 * Closing closes neither: each has its own owner.
 */
public final class RoutingDeploymentClient implements DeploymentClient {
  private final DeploymentClient remote;
  private final LocalDeployments local;

  public RoutingDeploymentClient(DeploymentClient remote, LocalDeployments local) {
    this.remote = remote;
    this.local = local;
  }

  @Override
  public Exchange open(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      boolean http11,
      ExchangeListener listener) {
    DeploymentClient target = LocalDeployments.isLocal(uri) ? local : remote;
    return target.open(uri, method, headers, http11, listener);
  }

  @Override
  public void close() {}
}
