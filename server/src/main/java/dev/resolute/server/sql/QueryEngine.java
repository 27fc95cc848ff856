package dev.resolute.server.sql;

import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.storage.Store;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Supplier;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Runs one SQL query over the introspection tables with Apache Calcite and returns its whole
 * answer. Each query gets its own Calcite connection whose tables read one store snapshot ({@link
 * QueryContext}), closed when the query ends whatever happens; a query that runs past the time
 * limit is cancelled (Calcite's cancel flag, which the scans check between rows).
 *
 * <p>The dialect is DataFusion's as far as the CLI and the documentation use it: unquoted names are
 * folded to lower case and compared exactly, double quotes quote identifiers, {@code !=} is
 * allowed, and {@link SqlRewriter} handles the remaining spellings.
 */
public final class QueryEngine {
  static {
    // Calcite compiles each query's plan to Java (Janino); queries that differ only in the values
    // the scans check themselves (Pushdown.takeExact) compile to the same code, which this cache
    // keeps (read once, when Calcite's configuration is first loaded)
    if (System.getProperty("calcite.bindable.cache.maxSize") == null) {
      System.setProperty("calcite.bindable.cache.maxSize", "256");
    }
  }

  private final Supplier<Store.Reader> readers;
  private final Partitioning partitioning;
  private final SchemaRegistry registry;
  private final String version;
  private final Duration timeLimit;

  /**
   * Built at the first query: finding the reserved column names runs Calcite's parser over every
   * column name, which on a cold JVM (loading the parser) took longer than the rest of a start.
   */
  private volatile SqlRewriter rewriter;

  /**
   * @param readers opens a reader on a consistent snapshot of the partition store (closed by the
   *     engine)
   * @param version the server version shown as {@code created_using_restate_version}
   * @param timeLimit how long a query may run before it is cancelled
   */
  public QueryEngine(
      Supplier<Store.Reader> readers,
      Partitioning partitioning,
      SchemaRegistry registry,
      String version,
      Duration timeLimit) {
    this.readers = readers;
    this.partitioning = partitioning;
    this.registry = registry;
    this.version = version;
    this.timeLimit = timeLimit;
  }

  private SqlRewriter rewriter() {
    SqlRewriter r = rewriter;
    if (r == null) {
      synchronized (this) {
        if (rewriter == null) {
          rewriter = new SqlRewriter(reservedColumnNames());
        }
        r = rewriter;
      }
    }
    return r;
  }

  /** The tables, in restate-server's order, then ours ({@code sys_schedule}). */
  static List<SysTable> tables() {
    return List.of(
        KeyedTables.state(),
        RegistryTables.deployments(),
        KeyedTables.inbox(),
        InvocationTables.view(),
        InvocationTables.state(),
        InvocationTables.status(),
        JournalTables.journal(),
        JournalTables.events(),
        KeyedTables.keyedServiceStatus(),
        KeyedTables.promise(),
        RegistryTables.services(),
        ScheduleTables.schedule(),
        LimitSqlTables.rules(),
        LimitSqlTables.queue());
  }

  /** Runs {@code sql}; throws {@link QueryException} for anything the query itself got wrong. */
  public QueryResult run(String sql) throws QueryException {
    return run(sql, new Cancel());
  }

  /**
   * Stops a running query from another thread: its statement is cancelled (Calcite's cancel flag,
   * which the scans check between rows), also when the cancel comes before the statement exists.
   */
  public static final class Cancel {
    private Statement statement;
    private boolean cancelled;

    synchronized void attach(Statement st) throws SQLException {
      statement = st;
      if (cancelled) {
        st.cancel();
      }
    }

    public synchronized void cancel() {
      cancelled = true;
      if (statement != null) {
        try {
          statement.cancel();
        } catch (SQLException e) {
          // already closed: nothing left to stop
        }
      }
    }

    synchronized void detach() {
      statement = null;
    }

    synchronized boolean cancelled() {
      return cancelled;
    }
  }

  /** As {@link #run(String)}, stopped (with a {@link QueryException}) when {@code cancel} is. */
  public QueryResult run(String sql, Cancel cancel) throws QueryException {
    if (cancel.cancelled()) {
      throw new QueryException("query cancelled");
    }
    String rewritten = rewriter().rewrite(sql);
    if (rewritten.isEmpty()) {
      throw new QueryException("SQL error: no statement");
    }
    try {
      return run(rewritten, cancel, idle, true);
    } catch (QueryException e) {
      if (e.getMessage() == null || !e.getMessage().contains("ComparableList")) {
        throw e;
      }
      // Calcite's empty pushed projection (see CalciteTable.Projecting): again on full rows
      return run(rewritten, cancel, fullRowIdle, false);
    }
  }

  private QueryResult run(
      String rewritten,
      Cancel cancel,
      java.util.concurrent.BlockingQueue<Session> pool,
      boolean projecting)
      throws QueryException {
    Session session = pool.poll();
    boolean reusable = false;
    try (QueryContext cx = new QueryContext(readers, partitioning, registry, version)) {
      if (session == null) {
        session = new Session(projecting);
      }
      session.current = cx;
      QueryResult r = session.run(rewritten, cancel);
      reusable = true;
      return r;
    } catch (SQLException e) {
      reusable = session != null && session.healthy();
      throw QueryException.from(e, timeLimit);
    } catch (RuntimeException e) {
      throw QueryException.from(e, timeLimit);
    } finally {
      if (session != null) {
        session.current = null;
        if (!reusable || !pool.offer(session)) {
          session.close();
        }
      }
    }
  }

  /** Sessions not running a query now; a query takes one or opens a new one. */
  private final java.util.concurrent.ArrayBlockingQueue<Session> idle =
      new java.util.concurrent.ArrayBlockingQueue<>(4);

  /** The same, of sessions whose tables return full rows (no projection pushed). */
  private final java.util.concurrent.ArrayBlockingQueue<Session> fullRowIdle =
      new java.util.concurrent.ArrayBlockingQueue<>(1);

  /** Plans kept per session. */
  static final int PLANS_PER_SESSION = 64;

  /**
   * One Calcite connection with the tables, reused by one query at a time: its tables read the
   * context of the query running now, and it keeps the plans of the last {@link #PLANS_PER_SESSION}
   * query texts ({@link SqlLiterals}: the literals bound as parameters), so a query seen before is
   * not parsed, validated, optimised and compiled again. A text Calcite cannot plan with parameters
   * runs as written, and is remembered as such.
   */
  private final class Session implements AutoCloseable {
    private final Connection conn;
    private final Map<String, SysTable> byName = new HashMap<>();
    private final Map<String, java.sql.PreparedStatement> plans =
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, java.sql.PreparedStatement> e) {
            if (size() > PLANS_PER_SESSION) {
              closeQuietly(e.getValue());
              return true;
            }
            return false;
          }
        };
    private final Set<String> unplannable =
        java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                return size() > PLANS_PER_SESSION;
              }
            });
    volatile QueryContext current;

    Session(boolean projecting) throws SQLException {
      conn = new Driver().connect("jdbc:calcite:", properties());
      CalciteConnection cc = conn.unwrap(CalciteConnection.class);
      SchemaPlus root = cc.getRootSchema();
      List<SysTable> tables = tables();
      Supplier<QueryContext> now = () -> current;
      for (SysTable t : tables) {
        root.add(
            t.name, projecting ? new CalciteTable.Projecting(t, now) : new CalciteTable(t, now));
        byName.put(t.name, t);
      }
      SchemaPlus info = root.add("information_schema", new AbstractSchema());
      info.add("columns", new CalciteTable(new ColumnsTable(tables), now));
    }

    QueryResult run(String sql, Cancel cancel) throws SQLException {
      int timeout = (int) Math.max(1, timeLimit.toSeconds());
      SqlLiterals q = SqlLiterals.of(sql);
      java.sql.PreparedStatement plan = q.values().isEmpty() ? null : plan(q.text());
      if (plan != null) {
        for (int i = 0; i < q.values().size(); i++) {
          plan.setString(i + 1, q.values().get(i));
        }
        plan.setQueryTimeout(timeout);
        cancel.attach(plan);
        try (ResultSet rs = plan.executeQuery()) {
          return read(rs, byName);
        } finally {
          cancel.detach();
        }
      }
      // no literal to bind, or a text Calcite cannot plan with parameters: plan the query itself
      // (with literals only where the bindable cache may still help)
      java.sql.PreparedStatement whole = q.values().isEmpty() ? plan(sql) : null;
      if (whole != null) {
        whole.setQueryTimeout(timeout);
        cancel.attach(whole);
        try (ResultSet rs = whole.executeQuery()) {
          return read(rs, byName);
        } finally {
          cancel.detach();
        }
      }
      try (Statement st = conn.createStatement()) {
        st.setQueryTimeout(timeout);
        cancel.attach(st);
        try (ResultSet rs = st.executeQuery(sql)) {
          return read(rs, byName);
        } finally {
          cancel.detach();
        }
      }
    }

    /** The kept plan of {@code text}, planned now if new; null if Calcite cannot plan it so. */
    private java.sql.PreparedStatement plan(String text) {
      java.sql.PreparedStatement p = plans.get(text);
      if (p != null || unplannable.contains(text)) {
        return p;
      }
      try {
        p = conn.prepareStatement(text);
      } catch (SQLException | RuntimeException e) {
        unplannable.add(text);
        return null;
      }
      plans.put(text, p);
      return p;
    }

    boolean healthy() {
      try {
        return !conn.isClosed();
      } catch (SQLException e) {
        return false;
      }
    }

    @Override
    public void close() {
      for (java.sql.PreparedStatement p : plans.values()) {
        closeQuietly(p);
      }
      plans.clear();
      try {
        conn.close();
      } catch (SQLException e) {
        // nothing left to release
      }
    }
  }

  private static void closeQuietly(Statement st) {
    try {
      st.close();
    } catch (SQLException e) {
      // nothing left to release
    }
  }

  private static QueryResult read(ResultSet rs, Map<String, SysTable> tables) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<QueryResult.OutColumn> cols = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      cols.add(new QueryResult.OutColumn(md.getColumnLabel(i), typeOf(md, i, tables)));
    }
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    List<Object[]> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[n];
      for (int i = 1; i <= n; i++) {
        row[i - 1] = value(rs, i, cols.get(i - 1).type(), utc);
      }
      rows.add(row);
    }
    return new QueryResult(cols, rows);
  }

  /** The source column's type when the result column is one, else the type of the SQL type. */
  private static ColumnType typeOf(ResultSetMetaData md, int i, Map<String, SysTable> tables)
      throws SQLException {
    SysTable t = tables.get(md.getTableName(i));
    if (t != null) {
      for (Column c : t.columns) {
        if (c.name().equals(md.getColumnName(i))) {
          return c.type();
        }
      }
    }
    return switch (md.getColumnType(i)) {
      case java.sql.Types.BIGINT -> ColumnType.I64;
      case java.sql.Types.INTEGER, java.sql.Types.SMALLINT, java.sql.Types.TINYINT ->
          ColumnType.I32;
      case java.sql.Types.BOOLEAN -> ColumnType.BOOL;
      case java.sql.Types.TIMESTAMP, java.sql.Types.TIMESTAMP_WITH_TIMEZONE, java.sql.Types.DATE ->
          ColumnType.TIMESTAMP_MS;
      case java.sql.Types.DOUBLE,
          java.sql.Types.FLOAT,
          java.sql.Types.REAL,
          java.sql.Types.DECIMAL,
          java.sql.Types.NUMERIC ->
          ColumnType.F64;
      case java.sql.Types.BINARY, java.sql.Types.VARBINARY -> ColumnType.BINARY;
      case java.sql.Types.ARRAY -> ColumnType.LIST_UTF8;
      default ->
          md.getColumnTypeName(i).startsWith("INTERVAL") ? ColumnType.DURATION_MS : ColumnType.UTF8;
    };
  }

  private static Object value(ResultSet rs, int i, ColumnType type, Calendar utc)
      throws SQLException {
    Object v =
        switch (type) {
          case TIMESTAMP_MS -> {
            java.sql.Timestamp ts = rs.getTimestamp(i, utc);
            yield ts == null ? null : ts.getTime();
          }
          case BINARY -> rs.getBytes(i);
          case LIST_UTF8, LIST_U32 -> {
            Array a = rs.getArray(i);
            yield a == null ? null : items(a.getArray());
          }
          case BOOL -> rs.getBoolean(i);
          case F64 -> rs.getDouble(i);
          case U64, I64, U32, I32, DURATION_MS -> rs.getLong(i);
          case UTF8 -> rs.getString(i);
        };
    return rs.wasNull() ? null : v;
  }

  /**
   * The items of a JDBC array value: Calcite hands a list of integers over as an {@code int[]} and
   * a list of strings as an {@code Object[]}, so both are read element by element.
   */
  private static List<Object> items(Object array) {
    int n = java.lang.reflect.Array.getLength(array);
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(java.lang.reflect.Array.get(array, i));
    }
    return out;
  }

  private static Properties properties() {
    Properties p = new Properties();
    p.setProperty(CalciteConnectionProperty.QUOTING.camelName(), Quoting.DOUBLE_QUOTE.name());
    p.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), Casing.TO_LOWER.name());
    p.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), Casing.UNCHANGED.name());
    p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    p.setProperty(
        CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.LENIENT.name());
    p.setProperty(CalciteConnectionProperty.TIME_ZONE.camelName(), "UTC");
    p.setProperty(CalciteConnectionProperty.FUN.camelName(), "standard,postgresql");
    return p;
  }

  /** The column names Calcite's parser takes as reserved words, so the rewriter quotes them. */
  static Set<String> reservedColumnNames() {
    Set<String> out = new HashSet<>();
    SqlParser.Config config =
        SqlParser.config()
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withCaseSensitive(true)
            .withConformance(SqlConformanceEnum.LENIENT);
    List<SysTable> all = new ArrayList<>(tables());
    all.add(new ColumnsTable(List.of()));
    for (SysTable t : all) {
      for (Column c : t.columns) {
        try {
          SqlParser.create("select t." + c.name() + " from t", config).parseQuery();
          SqlParser.create("select " + c.name() + " from t", config).parseQuery();
        } catch (SqlParseException e) {
          out.add(c.name());
        }
      }
    }
    return out;
  }
}
