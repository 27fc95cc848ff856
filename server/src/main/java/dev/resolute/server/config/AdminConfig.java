package dev.resolute.server.config;

import java.util.Objects;

/** {@code [admin]}: the admin REST API. */
public record AdminConfig(BindAddress bindAddress) {
  public static final BindAddress DEFAULT_BIND = new BindAddress("0.0.0.0", 9070);

  public AdminConfig {
    Objects.requireNonNull(bindAddress, "admin.bind-address");
  }

  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_BIND);
  }
}
