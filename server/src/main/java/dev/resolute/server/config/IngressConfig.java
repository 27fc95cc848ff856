package dev.resolute.server.config;

import java.util.Objects;

/** {@code [ingress]}: the HTTP ingress (invocations, awakeables, attach/output). */
public record IngressConfig(BindAddress bindAddress) {
  public static final BindAddress DEFAULT_BIND = new BindAddress("0.0.0.0", 8080);

  public IngressConfig {
    Objects.requireNonNull(bindAddress, "ingress.bind-address");
  }

  public static IngressConfig defaults() {
    return new IngressConfig(DEFAULT_BIND);
  }
}
