package dev.resolute.sdk.processor;

/** A tiny indenting source builder for the writers. */
final class Src {
  private final StringBuilder sb = new StringBuilder();
  private int indent;

  /**
   * Appends one line; a line starting with '}' dedents first, one ending with '{' indents after.
   */
  Src line(String s) {
    if (s.startsWith("}")) {
      indent--;
    }
    if (!s.isEmpty()) {
      sb.append("  ".repeat(Math.max(0, indent))).append(s);
    }
    sb.append('\n');
    if (s.endsWith("{")) {
      indent++;
    }
    return this;
  }

  Src blank() {
    sb.append('\n');
    return this;
  }

  /** A Java string literal. */
  static String lit(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
