package dev.resolute.server.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the DataFusion spellings that the {@code restate} CLI and Restate's documentation use into
 * the SQL Calcite parses, token by token (string literals, quoted identifiers and comments are
 * never touched):
 *
 * <ul>
 *   <li>{@code a == b} → {@code a = b}
 *   <li>{@code now()} → {@code CURRENT_TIMESTAMP}
 *   <li>{@code to_timestamp(x)} → {@code CAST(x AS TIMESTAMP(3))}
 *   <li>{@code first_value(x ORDER BY y [ASC|DESC])} (an aggregate, no {@code OVER}) → {@code
 *       ARG_MIN(x, y)} / {@code ARG_MAX(x, y)}; {@code first_value(x)} → {@code ANY_VALUE(x)}
 *   <li>{@code interval '1 hour'} → {@code INTERVAL '1' HOUR} (one number and one unit)
 *   <li>column names that are reserved words in Calcite ({@code value}, …) → quoted identifiers
 *   <li>a derived table without an alias takes the alias of its own {@code FROM} table, which
 *       DataFusion lets the outer query use
 *   <li>trailing semicolons dropped
 * </ul>
 */
final class SqlRewriter {
  private static final Pattern INTERVAL_TEXT =
      Pattern.compile(
          "'\\s*(\\d+)\\s*(second|minute|hour|day|week|month|year)s?\\s*'",
          Pattern.CASE_INSENSITIVE);

  private final Set<String> reservedColumns;

  SqlRewriter(Set<String> reservedColumns) {
    this.reservedColumns = reservedColumns;
  }

  String rewrite(String sql) {
    List<String> t = tokens(sql);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < t.size(); i++) {
      String tok = t.get(i);
      String lower = tok.toLowerCase(Locale.ROOT);
      if (tok.equals("==")) {
        out.append('=');
      } else if (tok.equals("(")
          && next(t, i, 1).equalsIgnoreCase("select")
          && (previous(t, i).equalsIgnoreCase("from") || previous(t, i).equalsIgnoreCase("join"))) {
        int close = matching(t, i);
        List<String> inner = close < 0 ? List.of() : t.subList(i + 1, close);
        String alias = close < 0 || aliased(t, close) ? null : innerAlias(inner);
        if (alias == null) {
          out.append(tok);
          continue;
        }
        out.append('(').append(rewrite(String.join("", inner))).append(") ").append(alias);
        i = close;
      } else if (lower.equals("now") && next(t, i, 1).equals("(") && next(t, i, 2).equals(")")) {
        out.append("CURRENT_TIMESTAMP");
        i = skipSpace(t, skipSpace(t, i));
      } else if (lower.equals("to_timestamp") && next(t, i, 1).equals("(")) {
        int open = skipSpace(t, i);
        int close = matching(t, open);
        if (close < 0) {
          out.append(tok);
          continue;
        }
        out.append("CAST(")
            .append(rewrite(String.join("", t.subList(open + 1, close))))
            .append(" AS TIMESTAMP(3))");
        i = close;
      } else if (lower.equals("first_value") && next(t, i, 1).equals("(")) {
        int open = skipSpace(t, i);
        int close = matching(t, open);
        if (close < 0 || next(t, close, 1).equalsIgnoreCase("over")) {
          out.append(tok);
          continue;
        }
        List<String> inner = t.subList(open + 1, close);
        int orderAt = topLevelWord(inner, "order");
        if (orderAt < 0) {
          out.append("ANY_VALUE(").append(rewrite(String.join("", inner))).append(')');
        } else {
          int byAt = topLevelWord(inner, "by");
          List<String> key = new ArrayList<>(inner.subList(byAt + 1, inner.size()));
          boolean desc = false;
          while (!key.isEmpty() && key.get(key.size() - 1).isBlank()) {
            key.remove(key.size() - 1);
          }
          if (!key.isEmpty() && key.get(key.size() - 1).equalsIgnoreCase("desc")) {
            desc = true;
            key.remove(key.size() - 1);
          } else if (!key.isEmpty() && key.get(key.size() - 1).equalsIgnoreCase("asc")) {
            key.remove(key.size() - 1);
          }
          out.append(desc ? "ARG_MAX(" : "ARG_MIN(")
              .append(rewrite(String.join("", inner.subList(0, orderAt))))
              .append(", ")
              .append(rewrite(String.join("", key)))
              .append(')');
        }
        i = close;
      } else if (lower.equals("interval") && next(t, i, 1).startsWith("'")) {
        int lit = skipSpace(t, i);
        Matcher m = INTERVAL_TEXT.matcher(t.get(lit));
        if (m.matches()) {
          out.append("INTERVAL '")
              .append(m.group(1))
              .append("' ")
              .append(m.group(2).toUpperCase(Locale.ROOT));
          i = lit;
        } else {
          out.append(tok);
        }
      } else if (reservedColumns.contains(lower) && !next(t, i, 1).equals("(")) {
        out.append('"').append(lower).append('"');
      } else {
        out.append(tok);
      }
    }
    String s = out.toString().strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return countStarNamed(s);
  }

  /**
   * An unaliased {@code count(*)} in the select list named as DataFusion names it, {@code
   * "count(*)"} (Calcite would call it {@code EXPR$n}): restate-server answers {@code SELECT
   * status, count(*) FROM sys_invocation GROUP BY status} with the columns {@code status} and
   * {@code count(*)}.
   */
  static String countStarNamed(String sql) {
    List<String> t = tokens(sql);
    int select = topLevelWord(t, "select");
    if (select < 0) {
      return sql;
    }
    int depth = 0;
    int end = t.size();
    for (int j = select + 1; j < t.size(); j++) {
      String tok = t.get(j);
      if (tok.equals("(")) {
        depth++;
      } else if (tok.equals(")")) {
        depth--;
      } else if (depth == 0 && tok.equalsIgnoreCase("from")) {
        end = j;
        break;
      }
    }
    StringBuilder out = new StringBuilder();
    depth = 0;
    for (int j = 0; j < t.size(); j++) {
      String tok = t.get(j);
      out.append(tok);
      if (tok.equals("(")) {
        depth++;
      } else if (tok.equals(")")) {
        depth--;
      }
      if (j <= select || j >= end || depth != 0 || !tok.equalsIgnoreCase("count")) {
        continue;
      }
      int open = skipSpace(t, j);
      int star = skipSpace(t, open);
      int close = skipSpace(t, star);
      if (close >= end
          || !t.get(open).equals("(")
          || !t.get(star).equals("*")
          || !t.get(close).equals(")")) {
        continue;
      }
      int after = skipSpace(t, close);
      if (after < end && !t.get(after).equals(",")) {
        continue; // aliased, or part of an expression
      }
      out.append("(*) AS \"count(*)\"");
      j = close;
    }
    return out.toString();
  }

  /** Words that end a derived table where an alias could stand. */
  private static final Set<String> CLAUSE_WORDS =
      Set.of(
          "where",
          "group",
          "order",
          "limit",
          "offset",
          "having",
          "join",
          "left",
          "right",
          "inner",
          "full",
          "cross",
          "on",
          "union",
          "except",
          "intersect",
          "window",
          "natural",
          "using");

  /** Whether the derived table closed at {@code close} is followed by an alias. */
  private static boolean aliased(List<String> t, int close) {
    String after = next(t, close, 1);
    return after.equalsIgnoreCase("as")
        || (isWord(after) && !CLAUSE_WORDS.contains(after.toLowerCase(Locale.ROOT)));
  }

  /**
   * The alias the derived table's own {@code FROM table alias} gives, or null. DataFusion lets the
   * outer query use it ({@code SELECT COUNT(1) FROM (SELECT * FROM sys_invocation inv LIMIT 10)
   * WHERE inv.status = …}, as the CLI sends); Calcite needs the derived table to carry it.
   */
  private static String innerAlias(List<String> inner) {
    int from = topLevelWord(inner, "from");
    if (from < 0) {
      return null;
    }
    int table = skipSpace(inner, from);
    if (table >= inner.size() || !isWord(inner.get(table))) {
      return null;
    }
    int a = skipSpace(inner, table);
    if (a < inner.size() && inner.get(a).equalsIgnoreCase("as")) {
      a = skipSpace(inner, a);
    }
    if (a >= inner.size()) {
      return null;
    }
    String alias = inner.get(a);
    return isWord(alias) && !CLAUSE_WORDS.contains(alias.toLowerCase(Locale.ROOT)) ? alias : null;
  }

  private static boolean isWord(String s) {
    return !s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_');
  }

  /** The non-blank token before i, or "". */
  private static String previous(List<String> t, int i) {
    int j = i - 1;
    while (j >= 0 && (t.get(j).isBlank() || t.get(j).startsWith("--"))) {
      j--;
    }
    return j < 0 ? "" : t.get(j);
  }

  /** The n-th non-blank token after i, or "". */
  private static String next(List<String> t, int i, int n) {
    int j = i;
    for (int k = 0; k < n; k++) {
      j = skipSpace(t, j);
      if (j >= t.size()) {
        return "";
      }
    }
    return t.get(j);
  }

  /** The index of the next non-blank token after i (t.size() when none). */
  private static int skipSpace(List<String> t, int i) {
    int j = i + 1;
    while (j < t.size() && (t.get(j).isBlank() || t.get(j).startsWith("--"))) {
      j++;
    }
    return j;
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  private static int matching(List<String> t, int open) {
    int depth = 0;
    for (int j = open; j < t.size(); j++) {
      if (t.get(j).equals("(")) {
        depth++;
      } else if (t.get(j).equals(")")) {
        depth--;
        if (depth == 0) {
          return j;
        }
      }
    }
    return -1;
  }

  private static int topLevelWord(List<String> t, String word) {
    int depth = 0;
    for (int j = 0; j < t.size(); j++) {
      String s = t.get(j);
      if (s.equals("(")) {
        depth++;
      } else if (s.equals(")")) {
        depth--;
      } else if (depth == 0 && s.equalsIgnoreCase(word)) {
        return j;
      }
    }
    return -1;
  }

  /**
   * Splits SQL into tokens whose concatenation is the input: blanks, comments, string literals,
   * quoted identifiers, words, numbers, {@code ==}/{@code !=}/{@code <>}/{@code <=}/{@code >=}, and
   * single characters.
   */
  static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int j = i + 1;
      if (Character.isWhitespace(c)) {
        while (j < n && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
      } else if (c == '-' && j < n && s.charAt(j) == '-') {
        while (j < n && s.charAt(j) != '\n') {
          j++;
        }
      } else if (c == '/' && j < n && s.charAt(j) == '*') {
        int end = s.indexOf("*/", j + 1);
        j = end < 0 ? n : end + 2;
      } else if (c == '\'' || c == '"') {
        while (j < n) {
          if (s.charAt(j) == c) {
            if (j + 1 < n && s.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            j++;
            break;
          }
          j++;
        }
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
        while (j < n
            && (Character.isLetterOrDigit(s.charAt(j))
                || s.charAt(j) == '_'
                || s.charAt(j) == '$')) {
          j++;
        }
      } else if (j < n && "=!<>".indexOf(c) >= 0 && "=>".indexOf(s.charAt(j)) >= 0) {
        j++;
      }
      out.add(s.substring(i, j));
      i = j;
    }
    return out;
  }
}
