package dev.resolute.server.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A reader of the Prometheus text format for tests: every sample as {@code name} plus its labels
 * (sorted by name, so label order does not matter) and its value. Enough for the exposition written
 * by the Prometheus Java client and by restate-server (no escaped quotes in label values here).
 */
public final class PrometheusText {
  /** One sample. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new TreeMap<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        types.put(p[2], p[3]);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      String name;
      String rest;
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.indexOf('}', brace);
        String inner = line.substring(brace + 1, close);
        int i = 0;
        while (i < inner.length()) {
          int eq = inner.indexOf('=', i);
          int q1 = inner.indexOf('"', eq);
          int q2 = inner.indexOf('"', q1 + 1);
          labels.put(inner.substring(i, eq).strip(), inner.substring(q1 + 1, q2));
          i = q2 + 1;
          if (i < inner.length() && inner.charAt(i) == ',') {
            i++;
          }
        }
        rest = line.substring(close + 1).strip();
      } else {
        name = line.substring(0, space);
        rest = line.substring(space + 1).strip();
      }
      String value = rest.split(" ")[0];
      samples.add(new Sample(name, labels, parseValue(value)));
    }
    return new PrometheusText(samples, types);
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  public List<Sample> samples() {
    return samples;
  }

  /** {@code # TYPE} per family name. */
  public Map<String, String> types() {
    return types;
  }

  /** The samples named {@code name} whose labels include {@code labels} (k1, v1, k2, v2, …). */
  public List<Sample> find(String name, String... labels) {
    Predicate<Sample> match =
        s -> {
          if (!s.name().equals(name)) {
            return false;
          }
          for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
              return false;
            }
          }
          return true;
        };
    return samples.stream().filter(match).toList();
  }

  /** The sum of {@link #find}'s values (0 when there is none). */
  public double sum(String name, String... labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }
}
