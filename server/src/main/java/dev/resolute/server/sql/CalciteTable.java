package dev.resolute.server.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FilterableTable;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A {@link SysTable} as Calcite sees it: the planner hands the scan the query's filter conjuncts,
 * read for pushdown; the equalities of a column with literals are checked here and taken out of the
 * list ({@link Pushdown#takeExact}), the rest Calcite filters again. A scan materialises its
 * projected rows while it holds the query's store snapshot.
 */
class CalciteTable extends AbstractTable implements FilterableTable {
  private final SysTable table;
  private final java.util.function.Supplier<QueryContext> context;

  /**
   * @param context the context of the query running now (a prepared plan outlives queries)
   */
  CalciteTable(SysTable table, java.util.function.Supplier<QueryContext> context) {
    this.table = table;
    this.context = context;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (Column c : table.columns) {
      b.add(c.name(), c.type().sqlType(f));
    }
    return b.build();
  }

  /**
   * The table with projections pushed into its scan: the scan fills only the columns the query
   * reads. Calcite 1.42 fails on an empty projection under a {@code LIMIT} (a row of no column is
   * taken for a list), so the engine runs a query that hits that again on full rows.
   */
  static final class Projecting extends CalciteTable implements ProjectableFilterableTable {
    Projecting(SysTable table, java.util.function.Supplier<QueryContext> context) {
      super(table, context);
    }
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters) {
    return scan(root, filters, null);
  }

  /** The rows, of the {@code projects} columns only (null: all). */
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects) {
    QueryContext cx = context.get();
    cx.cancelFlag(DataContext.Variable.CANCEL_FLAG.get(root) instanceof AtomicBoolean a ? a : null);
    Pushdown pushdown = Pushdown.of(filters, table.columns, root);
    java.util.Map<Integer, java.util.Set<Object>> exact =
        Pushdown.takeExact(filters, table.columns, root);
    // the columns to fill: the projected ones (Calcite adds those its own filters read) and those
    // of the equalities checked here
    boolean[] wanted = null;
    if (projects != null) {
      wanted = new boolean[table.columns.size()];
      for (int p : projects) {
        wanted[p] = true;
      }
      for (int c : exact.keySet()) {
        wanted[c] = true;
      }
    }
    List<Object[]> out = new ArrayList<>();
    cx.wanted = wanted;
    try {
      table.scan(
          cx,
          pushdown,
          row -> {
            if (!exact.isEmpty() && !Pushdown.matches(exact, row)) {
              return;
            }
            Object[] kept = row;
            if (projects != null) {
              kept = new Object[projects.length];
              for (int i = 0; i < projects.length; i++) {
                kept[i] = row[projects[i]];
              }
            }
            for (int i = 0; i < kept.length; i++) {
              if (kept[i] instanceof byte[] raw) {
                kept[i] = new ByteString(raw); // Calcite's value of a VARBINARY
              }
            }
            out.add(kept);
          });
    } finally {
      cx.wanted = null;
    }
    return Linq4j.asEnumerable(out);
  }
}
