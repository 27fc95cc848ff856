package dev.resolute.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP port accepts. The request-line and header limits are restate-server 1.7.12's (its
 * HTTP stack answers {@code 414} for a longer URI and {@code 431} for too many header fields or too
 * many header bytes; ours are the same or larger), so every request restate-server accepts is
 * accepted here too (measured against restate-server: URIs up to 65,534 bytes, 99 header fields, a
 * header section of about 452,000 bytes). restate-server has no header-read or idle timeout (a
 * connection that sends half a request, or nothing, is held indefinitely); ours close such
 * connections so that idle or slowloris connections cannot pile up.
 *
 * @param maxBodyBytes largest request body; larger ones get 413
 * @param inFlightBodyBytes request-body bytes the port holds at once, from header to response;
 *     requests beyond it wait with their connection's reading paused ({@link BodyBudget})
 * @param headerReadTimeout a request whose first bytes arrived must have sent its whole header
 *     within this time, else the connection is closed
 * @param idleTimeout a connection with no request in flight and no bytes read or written for this
 *     long is closed
 */
public record HttpLimits(
    int maxBodyBytes, long inFlightBodyBytes, Duration headerReadTimeout, Duration idleTimeout) {
  /** A longer URI gets 414 (restate-server's bound). */
  public static final int MAX_URI_LENGTH = 65_534;

  /** Header bytes (all fields together) above this get 431 (above restate-server's ~452,000). */
  public static final int MAX_HEADER_BYTES = 512 * 1024;

  /** More header fields than this get 431 (restate-server's bound). */
  public static final int MAX_HEADER_FIELDS = 99;

  public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Default request-body bytes held at once: a request body is copied a few times on its way into
   * the log (aggregated buffer, byte array, record), so the heap needs several times this much.
   */
  public static final long DEFAULT_IN_FLIGHT_BODY_BYTES = 128L * 1024 * 1024;

  public HttpLimits {
    if (maxBodyBytes <= 0 || inFlightBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes and inFlightBodyBytes must be positive");
    }
    Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (headerReadTimeout.isNegative()
        || headerReadTimeout.isZero()
        || idleTimeout.isNegative()
        || idleTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** restate-server's request limits, our default budget and timeouts, the given body limit. */
  public static HttpLimits defaults(int maxBodyBytes) {
    return new HttpLimits(
        maxBodyBytes,
        DEFAULT_IN_FLIGHT_BODY_BYTES,
        DEFAULT_HEADER_READ_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT);
  }
}
