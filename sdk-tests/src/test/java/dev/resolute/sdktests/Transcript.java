package dev.resolute.sdktests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one server answered to a scenario script, step by step: the status and the body of each
 * answer, normalized so that two servers' transcripts compare equal exactly when they answered the
 * same. Ids (invocation ids, awakeable ids) and times differ between any two runs and are replaced
 * by placeholders; a JSON body is re-written with sorted keys and no spaces (the SDKs format JSON
 * differently, the servers pass it through).
 */
final class Transcript {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  final Server.Kind server;
  final Map<String, String> steps = new LinkedHashMap<>();

  Transcript(Server.Kind server) {
    this.server = server;
  }

  /** Records {@code r} as step {@code name} and returns its normalized body. */
  String record(String name, HttpResponse<String> r) {
    String body = normalize(r.body());
    put(name, r.statusCode() + " " + body);
    return body;
  }

  void put(String name, String value) {
    if (steps.putIfAbsent(name, value) != null) {
      throw new IllegalArgumentException("step " + name + " recorded twice");
    }
  }

  String get(String name) {
    return steps.get(name);
  }

  static String normalize(String body) {
    String b = body;
    if (b.isEmpty()) {
      return "(empty)";
    }
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null) {
        b = JSON.writeValueAsString(JSON.treeToValue(n, Object.class));
      }
    } catch (Exception notJson) {
      // kept as it is
    }
    return b.replaceAll("inv_[0-9A-Za-z]+", "inv_*")
        .replaceAll("sign_[0-9A-Za-z_-]+", "sign_*")
        .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})", "<time>");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(server + ":\n");
    steps.forEach((k, v) -> sb.append("  ").append(k).append(" -> ").append(v).append('\n'));
    return sb.toString();
  }
}
