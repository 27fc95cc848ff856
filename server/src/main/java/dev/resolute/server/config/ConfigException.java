package dev.resolute.server.config;

import dev.resolute.server.api.ErrorCode;

/**
 * The configuration cannot be loaded (Restate's RT0002). The message names the key and the source
 * (file, environment, command line) it came from.
 */
public final class ConfigException extends RuntimeException {
  public static final String CODE = ErrorCode.RT0002.code();

  public ConfigException(String message) {
    super(message);
  }

  /**
   * The line printed on stderr before exiting, e.g. {@code [RT0002] configuration loading error:
   * ...}.
   */
  public String report() {
    return "[" + CODE + "] configuration loading error: " + getMessage();
  }
}
