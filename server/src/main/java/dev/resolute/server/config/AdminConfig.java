package dev.resolute.server.config;

import java.util.Objects;

/**
 * {@code [admin]}: the admin REST API; {@code disableWebUi} makes {@code /}, {@code /ui} and {@code
 * /ui/…} answer 404, as restate-server 1.7.12 does with {@code admin.disable-web-ui = true}.
 */
public record AdminConfig(BindAddress bindAddress, boolean disableWebUi) {
  public static final BindAddress DEFAULT_BIND = new BindAddress("0.0.0.0", 9070);

  public AdminConfig {
    Objects.requireNonNull(bindAddress, "admin.bind-address");
  }

  /** The web UI served (restate-server's default). */
  public AdminConfig(BindAddress bindAddress) {
    this(bindAddress, false);
  }

  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_BIND);
  }
}
