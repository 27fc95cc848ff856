package dev.resolute.server.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code date} response header (RFC 9110 IMF-fixdate, {@code Sat, 05 Dec 2026 18:43:32 GMT}),
 * formatted at most once a second: every response of a second carries the same text.
 */
final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private record Cached(long second, String text) {}

  private static volatile Cached cached = new Cached(Long.MIN_VALUE, "");

  private HttpDates() {}

  static String now() {
    return format(System.currentTimeMillis());
  }

  static String format(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    Cached c = cached;
    if (c.second != second) {
      c = new Cached(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
      cached = c;
    }
    return c.text;
  }
}
