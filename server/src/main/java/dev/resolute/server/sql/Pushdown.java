package dev.resolute.server.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;

/**
 * The equalities of a query's filter that a scan can use to read less: for each column, the set of
 * values it must take ({@code col = v}, {@code col IN (…)}, an {@code OR} of equalities on one
 * column). Only conjuncts are read; anything else is left to the engine's own filter, which every
 * row passes through again.
 */
final class Pushdown {
  static final Pushdown NONE = new Pushdown(Map.of());

  private final Map<String, Set<Object>> values;

  private Pushdown(Map<String, Set<Object>> values) {
    this.values = values;
  }

  /** The values {@code column} is restricted to, or null when it is not restricted. */
  Set<Object> values(String column) {
    return values.get(column);
  }

  /** The string values {@code column} is restricted to, or null. */
  Set<String> strings(String column) {
    Set<Object> v = values.get(column);
    if (v == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : v) {
      if (o instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /** A single string value of {@code column}, or null. */
  String single(String column) {
    Set<String> s = strings(column);
    return s != null && s.size() == 1 ? s.iterator().next() : null;
  }

  static Pushdown of(List<RexNode> conjuncts, List<Column> columns) {
    return of(conjuncts, columns, null);
  }

  /**
   * @param root the values of the query's dynamic parameters ({@code ?0}, {@code ?1}, …: a planned
   *     query's literals, see {@link SqlLiterals}), or null
   */
  static Pushdown of(List<RexNode> conjuncts, List<Column> columns, DataContext root) {
    Map<String, Set<Object>> out = new HashMap<>();
    List<RexNode> flat = new ArrayList<>();
    for (RexNode n : conjuncts) {
      flat.addAll(org.apache.calcite.plan.RelOptUtil.conjunctions(n));
    }
    for (RexNode n : flat) {
      Map<Integer, Set<Object>> eq = equalities(n, root, false);
      if (eq != null && eq.size() == 1) {
        Map.Entry<Integer, Set<Object>> e = eq.entrySet().iterator().next();
        String name = columns.get(e.getKey()).name();
        Set<Object> prev = out.get(name);
        if (prev == null) {
          out.put(name, e.getValue());
        } else {
          prev.retainAll(e.getValue());
        }
      }
    }
    return new Pushdown(out);
  }

  /**
   * The conjuncts of {@code filters} a scan checks exactly itself, taken out of the list (Calcite's
   * contract for {@code FilterableTable}: what is left is filtered by the engine; a conjunct taken
   * out saves the engine compiling it for every query): an equality, {@code IN} or {@code OR} of
   * equalities of one text column with text literals, or of one integer column with integer
   * literals. Returns, per column index, the values it must take.
   */
  static Map<Integer, Set<Object>> takeExact(
      List<RexNode> filters, List<Column> columns, DataContext root) {
    Map<Integer, Set<Object>> out = new HashMap<>();
    for (java.util.Iterator<RexNode> it = filters.iterator(); it.hasNext(); ) {
      RexNode n = it.next();
      Map<Integer, Set<Object>> eq = equalities(n, root, true);
      if (eq == null || eq.size() != 1) {
        continue;
      }
      Map.Entry<Integer, Set<Object>> e = eq.entrySet().iterator().next();
      ColumnType type = columns.get(e.getKey()).type();
      boolean text = type == ColumnType.UTF8;
      boolean integer =
          type == ColumnType.I64
              || type == ColumnType.I32
              || type == ColumnType.U64
              || type == ColumnType.U32;
      boolean fits = text || integer;
      for (Object v : e.getValue()) {
        fits &= text ? v instanceof String s && !s.endsWith(" ") : v instanceof Long;
      }
      if (!fits) {
        continue;
      }
      it.remove();
      Set<Object> prev = out.get(e.getKey());
      if (prev == null) {
        out.put(e.getKey(), new java.util.HashSet<>(e.getValue()));
      } else {
        prev.retainAll(e.getValue());
      }
    }
    return out;
  }

  /** Whether {@code row} passes the conjuncts {@link #takeExact} took. */
  static boolean matches(Map<Integer, Set<Object>> exact, Object[] row) {
    for (Map.Entry<Integer, Set<Object>> e : exact.entrySet()) {
      Object v = row[e.getKey()];
      if (v instanceof Number num && !(v instanceof Long)) {
        v = num.longValue();
      }
      if (v == null || !e.getValue().contains(v)) {
        return false;
      }
    }
    return true;
  }

  private static Object exactValue(RexLiteral lit) {
    org.apache.calcite.sql.type.SqlTypeFamily f = lit.getType().getSqlTypeName().getFamily();
    if (f == org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER
        || f == org.apache.calcite.sql.type.SqlTypeFamily.NUMERIC) {
      return value(lit.getValue());
    }
    return null;
  }

  /**
   * column index → values when {@code n} restricts exactly one column to a finite set, or null.
   * {@code exact}: only where the column is not cast and every literal is a plain text or integer
   * literal, so that comparing values in Java is what SQL would do ({@link #takeExact}).
   */
  private static Map<Integer, Set<Object>> equalities(RexNode n, DataContext root, boolean exact) {
    if (!(n instanceof RexCall call)) {
      return null;
    }
    SqlKind kind = call.getKind();
    if (kind == SqlKind.EQUALS) {
      RexNode a = exact ? call.getOperands().get(0) : strip(call.getOperands().get(0));
      RexNode b = exact ? call.getOperands().get(1) : strip(call.getOperands().get(1));
      if (b instanceof RexInputRef && !(a instanceof RexInputRef)) {
        RexNode t = a;
        a = b;
        b = t;
      }
      if (a instanceof RexInputRef ref
          && (b instanceof RexLiteral || b instanceof RexDynamicParam)) {
        Object v =
            b instanceof RexLiteral lit
                ? (exact ? exactValue(lit) : value(lit.getValue()))
                : param((RexDynamicParam) b, root);
        if (v == null) {
          return null;
        }
        Set<Object> s = new LinkedHashSet<>();
        s.add(v);
        return new HashMap<>(Map.of(ref.getIndex(), s));
      }
      return null;
    }
    if (kind == SqlKind.SEARCH) {
      RexNode a = exact ? call.getOperands().get(0) : strip(call.getOperands().get(0));
      RexNode b = call.getOperands().get(1);
      if (a instanceof RexInputRef ref && b instanceof RexLiteral lit) {
        Sarg<?> sarg = lit.getValueAs(Sarg.class);
        if (sarg == null
            || !sarg.isPoints()
            || sarg.nullAs != org.apache.calcite.rex.RexUnknownAs.UNKNOWN
                && sarg.nullAs != org.apache.calcite.rex.RexUnknownAs.FALSE) {
          return null;
        }
        Set<Object> s = new LinkedHashSet<>();
        for (Object range : sarg.rangeSet.asRanges()) {
          Object v = value(((com.google.common.collect.Range<?>) range).lowerEndpoint());
          if (v == null) {
            return null;
          }
          s.add(v);
        }
        return new HashMap<>(Map.of(ref.getIndex(), s));
      }
      return null;
    }
    if (kind == SqlKind.OR) {
      return oneColumn(call, op -> equalities(op, root, exact));
    }
    return null;
  }

  /**
   * An {@code OR} whose every operand {@code each} reads as values of one and the same column: that
   * column's values together, or null.
   */
  private static Map<Integer, Set<Object>> oneColumn(
      RexCall or, java.util.function.Function<RexNode, Map<Integer, Set<Object>>> each) {
    Integer col = null;
    Set<Object> s = new LinkedHashSet<>();
    for (RexNode op : or.getOperands()) {
      Map<Integer, Set<Object>> e = each.apply(op);
      if (e == null || e.size() != 1) {
        return null;
      }
      Integer c = e.keySet().iterator().next();
      if (col != null && !col.equals(c)) {
        return null;
      }
      col = c;
      s.addAll(e.get(c));
    }
    return col == null ? null : new HashMap<>(Map.of(col, s));
  }

  /** The value bound to a dynamic parameter, as {@link #value} reads a literal's; or null. */
  private static Object param(RexDynamicParam p, DataContext root) {
    if (root == null) {
      return null;
    }
    Object v = root.get("?" + p.getIndex());
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return v instanceof String || v instanceof Long ? v : null;
  }

  private static RexNode strip(RexNode n) {
    if (n instanceof RexCall c && c.getKind() == SqlKind.CAST) {
      return strip(c.getOperands().get(0));
    }
    return n;
  }

  private static Object value(Object v) {
    if (v instanceof NlsString s) {
      return s.getValue();
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof java.math.BigDecimal d) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (v instanceof Number num) {
      return num.longValue();
    }
    return null;
  }

  @Override
  public String toString() {
    return new ArrayList<>(values.entrySet()).toString();
  }
}
