package dev.resolute.server.sql;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.validate.SqlValidatorException;
import org.apache.calcite.tools.ValidationException;

/**
 * A query that was not answered: {@link #status} 400 when the query itself is at fault (it does not
 * parse, names an unknown table or column, fails while it runs, or runs past its time limit), 500
 * when the server is (for example a store record that cannot be read).
 */
public final class QueryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  QueryException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  QueryException(int status, String message) {
    this(status, message, null);
  }

  QueryException(String message) {
    this(400, message, null);
  }

  public int status() {
    return status;
  }

  static QueryException from(Throwable e, Duration timeLimit) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof CancellationException
          || m.contains("statement canceled")
          || m.contains("query timeout")) {
        return new QueryException(
            "the query ran longer than its time limit of " + timeLimit.toSeconds() + " s");
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SqlParseException) {
        return new QueryException("SQL error: " + firstLine(t.getMessage()));
      }
      if (t instanceof CalciteContextException
          || t instanceof ValidationException
          || t instanceof SqlValidatorException) {
        return new QueryException("Error during planning: " + t.getMessage());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CalciteException
          || t instanceof ArithmeticException
          || t instanceof NumberFormatException
          || t instanceof IllegalArgumentException) {
        return new QueryException("Execution error: " + t.getMessage());
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new QueryException(
        e instanceof java.sql.SQLException ? 400 : 500,
        (e instanceof java.sql.SQLException ? "SQL error: " : "internal error: ")
            + (root.getMessage() != null ? root.getMessage() : root.toString()),
        e);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
