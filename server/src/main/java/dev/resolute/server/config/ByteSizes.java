package dev.resolute.server.config;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Byte sizes as restate-server writes them in its configuration: a plain integer of bytes, or a
 * number with a unit, {@code "32.0 MiB"}, {@code "64KiB"}, {@code "1.5 GB"} (binary units are
 * powers of 1024, decimal ones of 1000).
 */
public final class ByteSizes {
  private ByteSizes() {}

  /**
   * @throws IllegalArgumentException naming the text when it is not a size, is negative or passes
   *     {@link Long#MAX_VALUE} bytes
   */
  public static long parse(String text) {
    String s = text.strip();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    String number = s.substring(0, i);
    String unit = s.substring(i).strip().toLowerCase(Locale.ROOT);
    if (number.isEmpty()) {
      throw new IllegalArgumentException(
          "expected a byte size like \"32.0 MiB\" or \"1024\", found \"" + text + "\"");
    }
    long multiplier =
        switch (unit) {
          case "", "b" -> 1L;
          case "k", "kb" -> 1000L;
          case "ki", "kib" -> 1024L;
          case "m", "mb" -> 1000L * 1000;
          case "mi", "mib" -> 1024L * 1024;
          case "g", "gb" -> 1000L * 1000 * 1000;
          case "gi", "gib" -> 1024L * 1024 * 1024;
          case "t", "tb" -> 1000L * 1000 * 1000 * 1000;
          case "ti", "tib" -> 1024L * 1024 * 1024 * 1024;
          case "p", "pb" -> 1000L * 1000 * 1000 * 1000 * 1000;
          case "pi", "pib" -> 1024L * 1024 * 1024 * 1024 * 1024;
          default ->
              throw new IllegalArgumentException(
                  "unknown byte size unit \"" + s.substring(i).strip() + "\" in \"" + text + "\"");
        };
    BigDecimal bytes;
    try {
      bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(multiplier));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a byte size, found \"" + text + "\"");
    }
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("byte size too large: \"" + text + "\"");
    }
    return bytes.longValue();
  }

  /**
   * As restate-server prints sizes when the value is a whole number of a binary unit ({@code "32.0
   * MiB"}); otherwise the plain number of bytes, so that printing and parsing again gives the same
   * value.
   */
  public static String format(long bytes) {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    long[] sizes = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
    for (int u = 0; u < units.length; u++) {
      if (bytes >= sizes[u] && bytes % sizes[u] == 0) {
        return (bytes / sizes[u]) + ".0 " + units[u];
      }
    }
    return bytes + " B";
  }
}
