package dev.resolute.server.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of restate-server 1.7.12's {@code PUT /limits/rules} ({@code UpsertRuleRequest[]}
 * in, {@code RuleResponse[]} out) and {@code POST /limits/rules/bulk-delete} ({@code
 * DeleteRuleRequest[]} in, pattern strings out), plus our {@code limits.rate_per_second} and {@code
 * limits.burst}. A malformed body throws {@link IllegalArgumentException} with the reason (the edge
 * answers 400).
 */
public final class RuleJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RuleJson() {}

  public static List<RuleBook.Upsert> upserts(JsonNode body) {
    List<RuleBook.Upsert> out = new ArrayList<>();
    for (JsonNode entry : array(body)) {
      RulePattern pattern = RulePattern.parse(text(entry, "pattern", true));
      out.add(
          new RuleBook.Upsert(
              pattern,
              limits(entry.get("limits")),
              text(entry, "description", false),
              entry.path("disabled").asBoolean(false),
              precondition(entry.get("precondition"))));
    }
    return out;
  }

  public static List<RuleBook.Delete> deletes(JsonNode body) {
    List<RuleBook.Delete> out = new ArrayList<>();
    for (JsonNode entry : array(body)) {
      JsonNode version = entry.get("expected_version");
      Integer expected = null;
      if (version != null && !version.isNull()) {
        if (!version.canConvertToInt() || version.asInt() < 0) {
          throw new IllegalArgumentException("expected_version must be a non-negative integer");
        }
        expected = version.asInt();
      }
      out.add(new RuleBook.Delete(RulePattern.parse(text(entry, "pattern", true)), expected));
    }
    return out;
  }

  /** A {@code RuleResponse}; the rate fields only when set, so restate's shape is unchanged. */
  public static ObjectNode response(Rule rule) {
    ObjectNode node = JSON.createObjectNode();
    node.put("pattern", rule.pattern().toString());
    ObjectNode limits = node.putObject("limits");
    Limits l = rule.limits();
    // restate-server omits an unlimited dimension (serde skip_serializing_if none)
    if (l.concurrency() != null) {
      limits.put("concurrency", l.concurrency());
    }
    if (l.ratePerSecond() != null) {
      limits.put("rate_per_second", l.ratePerSecond());
      limits.put("burst", l.effectiveBurst());
    }
    if (rule.description() == null) {
      node.putNull("description");
    } else {
      node.put("description", rule.description());
    }
    node.put("disabled", rule.disabled());
    node.put("version", rule.version());
    node.put("last_modified_millis_since_epoch", rule.lastModifiedMillis());
    return node;
  }

  public static ArrayNode responses(List<Rule> rules) {
    ArrayNode out = JSON.createArrayNode();
    rules.forEach(r -> out.add(response(r)));
    return out;
  }

  private static Iterable<JsonNode> array(JsonNode body) {
    if (body == null || !body.isArray()) {
      throw new IllegalArgumentException("expected a JSON array");
    }
    for (JsonNode entry : body) {
      if (!entry.isObject()) {
        throw new IllegalArgumentException("expected an array of objects");
      }
    }
    return body;
  }

  private static String text(JsonNode entry, String field, boolean required) {
    JsonNode v = entry.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing field `" + field + "`");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("`" + field + "` must be a string");
    }
    return v.asText();
  }

  private static Limits limits(JsonNode node) {
    if (node == null || node.isNull()) {
      return Limits.UNLIMITED;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("`limits` must be an object");
    }
    return new Limits(
        intOrNull(node, "concurrency"),
        doubleOrNull(node, "rate_per_second"),
        intOrNull(node, "burst"));
  }

  private static Integer intOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("`" + field + "` must be an integer");
    }
    return v.asInt();
  }

  private static Double doubleOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("`" + field + "` must be a number");
    }
    return v.asDouble();
  }

  private static RuleBook.Precondition precondition(JsonNode node) {
    if (node == null || node.isNull()) {
      return new RuleBook.Precondition.None();
    }
    String type = node.path("type").asText("");
    return switch (type) {
      case "none" -> new RuleBook.Precondition.None();
      case "does_not_exist" -> new RuleBook.Precondition.DoesNotExist();
      case "matches" -> {
        JsonNode v = node.get("version");
        if (v == null || !v.canConvertToInt() || v.asInt() < 0) {
          throw new IllegalArgumentException(
              "`precondition.version` must be a non-negative integer");
        }
        yield new RuleBook.Precondition.Matches(v.asInt());
      }
      default -> throw new IllegalArgumentException("unknown precondition type '" + type + "'");
    };
  }
}
