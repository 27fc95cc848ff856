package dev.resolute.server.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A query with its plain string literals taken out: the text with a {@code ?} in place of each and
 * the literals' values in order. Queries that differ only in such values (a lookup by id, a filter
 * on a service name) share one text, so the engine plans the text once and binds the values.
 *
 * <p>Only plain {@code '…'} literals are taken; numbers stay (an ordinal in {@code ORDER BY 1} is
 * not a value), and so do typed literals ({@code DATE '…'}, {@code TIMESTAMP '…'}, {@code INTERVAL
 * '…'}, prefixed ones such as {@code X'…'}), text in double-quoted identifiers and comments. A
 * query that already holds a {@code ?} is left whole.
 */
record SqlLiterals(String text, List<String> values) {
  private static final Set<String> TYPED =
      Set.of("date", "time", "timestamp", "interval", "escape", "uescape");

  static SqlLiterals of(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    List<String> values = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '?') {
        return new SqlLiterals(sql, List.of());
      }
      if (c == '"') {
        int end = skipQuoted(sql, i, '"');
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '\'') {
        int end = skipQuoted(sql, i, '\'');
        boolean prefixed = i > 0 && Character.isLetterOrDigit(sql.charAt(i - 1));
        if (prefixed || end > n || TYPED.contains(previousWord(sql, i))) {
          out.append(sql, i, Math.min(end, n));
        } else {
          values.add(sql.substring(i + 1, end - 1).replace("''", "'"));
          out.append('?');
        }
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return new SqlLiterals(out.toString(), values);
  }

  /** The index just past the quoted run starting at {@code start} (doubled quotes escape). */
  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    int n = sql.length();
    while (i < n) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n + 1; // not closed: the parser reports it
  }

  /** The word before {@code at}, lower case, skipping blanks; "" if none. */
  private static String previousWord(String sql, int at) {
    int e = at - 1;
    while (e >= 0 && Character.isWhitespace(sql.charAt(e))) {
      e--;
    }
    int b = e;
    while (b >= 0 && (Character.isLetterOrDigit(sql.charAt(b)) || sql.charAt(b) == '_')) {
      b--;
    }
    return sql.substring(b + 1, e + 1).toLowerCase(Locale.ROOT);
  }
}
