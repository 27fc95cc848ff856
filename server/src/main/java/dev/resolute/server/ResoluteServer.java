package dev.resolute.server;

import dev.resolute.server.config.ServerConfig;

// owned by the lead: this is a placeholder so Main compiles until the real node wiring lands.
/** The composition root: builds and starts every component of a node from its configuration. */
public final class ResoluteServer implements AutoCloseable {
  private final ServerConfig config;

  private ResoluteServer(ServerConfig config) {
    this.config = config;
  }

  public static ResoluteServer start(ServerConfig c) {
    return new ResoluteServer(c);
  }

  public ServerConfig config() {
    return config;
  }

  @Override
  public void close() {}
}
