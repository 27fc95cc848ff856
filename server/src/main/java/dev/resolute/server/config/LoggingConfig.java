package dev.resolute.server.config;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code log-filter} and {@code log-format}: what the server logs and how.
 *
 * @param filter restate-server's filter syntax ({@code RUST_LOG}): a default level and {@code
 *     target=level} directives separated by commas, e.g. {@code "warn,restate=info"} (the default);
 *     the target {@code restate} names Resolute's own loggers ({@code dev.resolute})
 * @param format {@code pretty} and {@code compact}: one text line per event; {@code json}: one JSON
 *     object per line
 */
public record LoggingConfig(String filter, Format format) {
  public static final String DEFAULT_FILTER = "warn,restate=info";

  /** restate-server's log formats. */
  public enum Format {
    PRETTY,
    COMPACT,
    JSON;

    /** The lower-case name restate-server uses. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Format parse(String s) {
      for (Format f : values()) {
        if (f.key().equals(s.strip().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "unknown variant \"" + s + "\", expected one of \"pretty\", \"compact\", \"json\"");
    }
  }

  public LoggingConfig {
    Objects.requireNonNull(filter, "log-filter");
    Objects.requireNonNull(format, "log-format");
    LogFilter.parse(filter); // validates
  }

  public static LoggingConfig defaults() {
    return new LoggingConfig(DEFAULT_FILTER, Format.PRETTY);
  }
}
