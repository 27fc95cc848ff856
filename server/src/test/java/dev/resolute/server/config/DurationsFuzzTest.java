package dev.resolute.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The duration parser behind {@code ?delay=} and every duration in the configuration ({@link
 * DurationParser}, restate-server's friendly and ISO 8601 grammars with its limits). The contract:
 * a non-negative {@link Duration} or an {@link IllegalArgumentException} with a message; what
 * parses fits a {@code long} of milliseconds (documented: nothing overflows), gives an execution
 * time or an {@link IllegalArgumentException}, and what {@link Durations#format} prints parses back
 * to the same duration.
 *
 * <p>Input: the text, UTF-8.
 */
class DurationsFuzzTest {
  private static final long NOW = 1_795_000_000_000L;

  @FuzzTest
  void parse(byte[] input) {
    fuzzerTestOneInput(input);
  }

  public static void fuzzerTestOneInput(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isEmpty()) {
        throw new AssertionError("a refusal without a message", e);
      }
      return;
    }
    if (d.isNegative()) {
      throw new AssertionError("negative duration " + d + " from '" + text + "'");
    }
    d.toMillis(); // throws ArithmeticException if the parser let an overflow through
    try {
      Durations.executionTime(NOW, d);
    } catch (IllegalArgumentException tooLate) {
      // after 9999-12-31: the documented refusal
    }
    String printed = Durations.format(d);
    Duration again = Durations.parse(printed);
    if (!again.equals(d)) {
      throw new AssertionError("'" + text + "' -> " + d + " -> '" + printed + "' -> " + again);
    }
  }
}
