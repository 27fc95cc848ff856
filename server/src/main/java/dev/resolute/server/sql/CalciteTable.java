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
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A {@link SysTable} as Calcite sees it: the planner hands the scan the query's filter conjuncts
 * (read for pushdown, never consumed: Calcite filters every row again) and the projected columns. A
 * scan materialises its projected rows while it holds the query's store snapshot.
 */
final class CalciteTable extends AbstractTable implements FilterableTable {
  private final SysTable table;
  private final QueryContext cx;

  CalciteTable(SysTable table, QueryContext cx) {
    this.table = table;
    this.cx = cx;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (Column c : table.columns) {
      b.add(c.name(), c.type().sqlType(f));
    }
    return b.build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters) {
    cx.cancelFlag(DataContext.Variable.CANCEL_FLAG.get(root) instanceof AtomicBoolean a ? a : null);
    Pushdown pushdown = Pushdown.of(filters, table.columns);
    List<Object[]> out = new ArrayList<>();
    table.scan(
        cx,
        pushdown,
        row -> {
          for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof byte[] raw) {
              row[i] = new ByteString(raw); // Calcite's value of a VARBINARY
            }
          }
          out.add(row);
        });
    return Linq4j.asEnumerable(out);
  }
}
