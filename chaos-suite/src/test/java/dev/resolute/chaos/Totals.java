package dev.resolute.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The totals of a chaos run, printed as a Markdown table (RELIABILITY.md shows one). */
final class Totals {
  final Map<String, String> rows = new LinkedHashMap<>();
  final List<Long> healthyMillis = new ArrayList<>();

  void put(String name, Object value) {
    rows.put(name, String.valueOf(value));
  }

  static long median(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> s = new ArrayList<>(values);
    s.sort(null);
    return s.get((s.size() - 1) / 2);
  }

  static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  String table() {
    StringBuilder b = new StringBuilder("| what | value |\n|---|---|\n");
    rows.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    b.append("| time to healthy after each server restart, ms | ")
        .append(healthyMillis)
        .append(" |\n");
    b.append("| time to healthy, median / max, ms | ")
        .append(median(healthyMillis))
        .append(" / ")
        .append(max(healthyMillis))
        .append(" |\n");
    return b.toString();
  }
}
