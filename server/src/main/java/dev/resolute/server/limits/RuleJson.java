package dev.resolute.server.limits;

import static dev.resolute.server.http.SerdeText.at;
import static dev.resolute.server.http.SerdeText.invalidType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of restate-server 1.7.12's {@code PUT /limits/rules} ({@code UpsertRuleRequest[]}
 * in, {@code RuleResponse[]} out) and {@code POST /limits/rules/bulk-delete} ({@code
 * DeleteRuleRequest[]} in, pattern strings out), plus our {@code limits.rate_per_second} and {@code
 * limits.burst}.
 *
 * <p>Bodies are read as a stream so a value of the wrong shape is refused as serde (through
 * serde_path_to_error) words it: {@link ShapeException} carries "{@code [0].limits.concurrency:
 * invalid value: integer `0`, expected a nonzero u32 at line 1 column 44}", where the column is
 * that of the last character of the offending token; the edge answers 422 with it. A body that is
 * not JSON at all throws {@link SyntaxException} (400). Unknown fields are ignored, as serde does.
 */
public final class RuleJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private RuleJson() {}

  /** A body of the wrong shape (restate-server: 422), with serde's path and position. */
  public static final class ShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
      super(message, null, false, false);
    }
  }

  /** A body that is not JSON (restate-server: 400). */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  public static List<RuleBook.Upsert> upserts(byte[] body) throws ShapeException, SyntaxException {
    return readArray(body, RuleJson::upsert);
  }

  public static List<RuleBook.Delete> deletes(byte[] body) throws ShapeException, SyntaxException {
    return readArray(body, RuleJson::delete);
  }

  /** Convenience for tests: the same as the byte variants on {@code json}. */
  public static List<RuleBook.Upsert> upserts(String json) throws ShapeException, SyntaxException {
    return upserts(json.getBytes(StandardCharsets.UTF_8));
  }

  public static List<RuleBook.Delete> deletes(String json) throws ShapeException, SyntaxException {
    return deletes(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code RuleResponse}; absent values are left out, as restate-server's serde does. */
  public static ObjectNode response(Rule rule) {
    ObjectNode node = JSON.createObjectNode();
    node.put("pattern", rule.pattern().toString());
    ObjectNode limits = node.putObject("limits");
    Limits l = rule.limits();
    if (l.concurrency() != null) {
      limits.put("concurrency", l.concurrency());
    }
    if (l.ratePerSecond() != null) {
      limits.put("rate_per_second", l.ratePerSecond());
      limits.put("burst", l.effectiveBurst());
    }
    if (rule.description() != null) {
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

  // ---------------------------------------------------------------- reading

  @FunctionalInterface
  private interface ElementReader<T> {
    T read(JsonParser p, String path) throws IOException, ShapeException;
  }

  private static <T> List<T> readArray(byte[] body, ElementReader<T> element)
      throws ShapeException, SyntaxException {
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new SyntaxException("EOF while parsing a value at line 1 column " + body.length);
      }
      if (t != JsonToken.START_ARRAY) {
        // serde peeks the first character without consuming it: the position before it
        long col = p.currentTokenLocation().getColumnNr() - 1;
        throw new ShapeException(
            invalidType(p, t) + ", expected a sequence at line 1 column " + col);
      }
      List<T> out = new ArrayList<>();
      int i = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new SyntaxException("EOF while parsing a list " + at(p));
        }
        out.add(element.read(p, "[" + i + "]"));
        i++;
      }
      return out;
    } catch (IOException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw new SyntaxException(m);
    }
  }

  private static RuleBook.Upsert upsert(JsonParser p, String path)
      throws IOException, ShapeException {
    expectObject(p, path, "UpsertRuleRequest");
    String pattern = null;
    RulePattern parsed = null;
    Limits limits = Limits.UNLIMITED;
    String description = null;
    boolean disabled = false;
    RuleBook.Precondition precondition = new RuleBook.Precondition.None();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String fp = path + "." + field;
      switch (field) {
        case "pattern" -> {
          pattern = string(p, v, fp);
          parsed = pattern(p, pattern, fp);
        }
        case "limits" -> limits = v == JsonToken.VALUE_NULL ? Limits.UNLIMITED : limits(p, v, fp);
        case "description" -> description = v == JsonToken.VALUE_NULL ? null : string(p, v, fp);
        case "disabled" -> disabled = bool(p, v, fp);
        case "precondition" ->
            precondition =
                v == JsonToken.VALUE_NULL
                    ? new RuleBook.Precondition.None()
                    : precondition(p, v, fp);
        default -> p.skipChildren();
      }
    }
    if (parsed == null) {
      throw new ShapeException(path + ": missing field `pattern` " + at(p));
    }
    return new RuleBook.Upsert(parsed, limits, description, disabled, precondition);
  }

  private static RuleBook.Delete delete(JsonParser p, String path)
      throws IOException, ShapeException {
    expectObject(p, path, "DeleteRuleRequest");
    RulePattern parsed = null;
    Integer expected = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String fp = path + "." + field;
      switch (field) {
        case "pattern" -> parsed = pattern(p, string(p, v, fp), fp);
        case "expected_version" -> expected = v == JsonToken.VALUE_NULL ? null : u32(p, v, fp);
        default -> p.skipChildren();
      }
    }
    if (parsed == null) {
      throw new ShapeException(path + ": missing field `pattern` " + at(p));
    }
    return new RuleBook.Delete(parsed, expected);
  }

  private static Limits limits(JsonParser p, JsonToken t, String path)
      throws IOException, ShapeException {
    expectObject(p, path, "UserLimits");
    Integer concurrency = null;
    Double rate = null;
    Integer burst = null;
    String burstAt = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String fp = path + "." + field;
      switch (field) {
        case "concurrency" -> concurrency = v == JsonToken.VALUE_NULL ? null : nonZero(p, v, fp);
        case "rate_per_second" -> {
          if (v != JsonToken.VALUE_NULL) {
            if (!v.isNumeric()) {
              throw new ShapeException(
                  fp + ": " + invalidType(p, v) + ", expected a positive number " + at(p));
            }
            double d = p.getDoubleValue();
            if (!(d > 0) || Double.isInfinite(d)) {
              throw new ShapeException(
                  fp
                      + ": invalid value: `"
                      + p.getText()
                      + "`, expected a positive number "
                      + at(p));
            }
            rate = d;
          }
        }
        case "burst" -> {
          if (v != JsonToken.VALUE_NULL) {
            burst = nonZero(p, v, fp);
            burstAt = fp + ": a burst needs `rate_per_second` " + at(p);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (burst != null && rate == null) {
      throw new ShapeException(burstAt);
    }
    return new Limits(concurrency, rate, burst);
  }

  private static RuleBook.Precondition precondition(JsonParser p, JsonToken t, String path)
      throws IOException, ShapeException {
    expectObject(p, path, "Precondition");
    String type = null;
    Integer version = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String fp = path + "." + field;
      switch (field) {
        case "type" -> {
          type = string(p, v, fp);
          if (!type.equals("none") && !type.equals("matches") && !type.equals("does_not_exist")) {
            throw new ShapeException(
                fp
                    + ": unknown variant `"
                    + type
                    + "`, expected one of `none`, `matches`, `does_not_exist` "
                    + at(p));
          }
        }
        case "version" -> version = v == JsonToken.VALUE_NULL ? null : u32(p, v, fp);
        default -> p.skipChildren();
      }
    }
    if (type == null) {
      throw new ShapeException(path + ": missing field `type` " + at(p));
    }
    return switch (type) {
      case "matches" -> {
        if (version == null) {
          throw new ShapeException(path + ": missing field `version` " + at(p));
        }
        yield new RuleBook.Precondition.Matches(version);
      }
      case "does_not_exist" -> new RuleBook.Precondition.DoesNotExist();
      default -> new RuleBook.Precondition.None();
    };
  }

  private static void expectObject(JsonParser p, String path, String struct)
      throws IOException, ShapeException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      throw new ShapeException(
          path + ": " + invalidType(p, t) + ", expected struct " + struct + " " + at(p));
    }
  }

  private static RulePattern pattern(JsonParser p, String text, String path)
      throws IOException, ShapeException {
    try {
      return RulePattern.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ShapeException(path + ": " + e.getMessage() + " " + at(p));
    }
  }

  private static String string(JsonParser p, JsonToken t, String path)
      throws IOException, ShapeException {
    if (t != JsonToken.VALUE_STRING) {
      throw new ShapeException(path + ": " + invalidType(p, t) + ", expected a string " + at(p));
    }
    return p.getText();
  }

  private static boolean bool(JsonParser p, JsonToken t, String path)
      throws IOException, ShapeException {
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    throw new ShapeException(path + ": " + invalidType(p, t) + ", expected a boolean " + at(p));
  }

  private static int nonZero(JsonParser p, JsonToken t, String path)
      throws IOException, ShapeException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new ShapeException(
          path + ": " + invalidType(p, t) + ", expected a nonzero u32 " + at(p));
    }
    long v = p.getLongValue();
    if (v < 1 || v > 0xFFFF_FFFFL || v > Integer.MAX_VALUE) {
      throw new ShapeException(
          path + ": invalid value: integer `" + p.getText() + "`, expected a nonzero u32 " + at(p));
    }
    return (int) v;
  }

  private static int u32(JsonParser p, JsonToken t, String path)
      throws IOException, ShapeException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new ShapeException(path + ": " + invalidType(p, t) + ", expected u32 " + at(p));
    }
    long v = p.getLongValue();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new ShapeException(
          path + ": invalid value: integer `" + p.getText() + "`, expected u32 " + at(p));
    }
    return (int) v;
  }
}
