package dev.resolute.server.config;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Human-readable byte sizes as restate-server writes and reads them: {@code "32.0 MiB"}, {@code
 * "10MB"}, {@code "512 KiB"}, {@code "1024"} (a plain number, or a TOML integer, is bytes). Binary
 * units ({@code KiB}, {@code MiB}, …) are powers of 1024, decimal ones ({@code KB}, {@code MB}, …)
 * powers of 1000; units are case-insensitive. {@link #format} writes restate-server's {@code
 * --dump-config} form.
 */
public final class ByteSize {
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private ByteSize() {}

  /** The number of bytes {@code text} names; IllegalArgumentException with the reason otherwise. */
  public static long parse(String text) {
    String s = text.strip();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException(
          "expected a byte size like \"32 MiB\", found \"" + text + "\"");
    }
    BigDecimal number;
    try {
      number = new BigDecimal(s.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a byte size like \"32 MiB\", found \"" + text + "\"");
    }
    String unit = s.substring(i).strip().toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "", "b" -> 1L;
          case "k", "kb" -> 1000L;
          case "ki", "kib" -> 1L << 10;
          case "m", "mb" -> 1000L * 1000;
          case "mi", "mib" -> 1L << 20;
          case "g", "gb" -> 1000L * 1000 * 1000;
          case "gi", "gib" -> 1L << 30;
          case "t", "tb" -> 1000L * 1000 * 1000 * 1000;
          case "ti", "tib" -> 1L << 40;
          case "p", "pb" -> 1000L * 1000 * 1000 * 1000 * 1000;
          case "pi", "pib" -> 1L << 50;
          default ->
              throw new IllegalArgumentException(
                  "unknown byte unit \"" + s.substring(i).strip() + "\" in \"" + text + "\"");
        };
    BigDecimal bytes = number.multiply(BigDecimal.valueOf(factor));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("byte size too large: \"" + text + "\"");
    }
    return bytes.longValue();
  }

  /**
   * restate-server's form: one decimal and the largest binary unit it reaches ({@code 32.0 MiB}).
   */
  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < BINARY.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, BINARY[u]);
  }
}
