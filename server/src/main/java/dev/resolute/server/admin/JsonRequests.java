package dev.resolute.server.admin;

import static dev.resolute.server.http.SerdeText.at;
import static dev.resolute.server.http.SerdeText.invalidType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reading JSON request bodies as restate-server 1.7.12's admin API does (axum's {@code Json}
 * extractor over serde): the content type must be JSON (else 415), the body must parse (else 400
 * "Failed to parse the request body as JSON: …"), and a value of the wrong shape is a 422 "Failed
 * to deserialize the JSON body into the target type: {field}: {reason} at line L column C", where
 * the column is that of the last character of the offending token (serde's position).
 */
final class JsonRequests {
  private JsonRequests() {}

  /** A request refused before its handler ran, with restate-server's answer. */
  static final class Refused extends Exception {
    private final transient HttpResponse response;

    Refused(HttpResponse response) {
      super(null, null, false, false);
      this.response = response;
    }

    HttpResponse response() {
      return response;
    }
  }

  /** 415 unless the content type is {@code application/json} or {@code application/*+json}. */
  static void requireJson(HttpRequest req) throws Refused {
    String ct = req.header("content-type");
    if (ct != null) {
      String mime = ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (mime.equals("application/json")
          || (mime.startsWith("application/") && mime.endsWith("+json"))) {
        return;
      }
    }
    throw new Refused(
        HttpResponse.text(415, "Expected request with `Content-Type: application/json`"));
  }

  /** The parsed body, or a refusal worded as serde_json words a syntax error. */
  static JsonNode parse(HttpRequest req) throws Refused {
    requireJson(req);
    byte[] body = req.body();
    String trimmed = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    if (trimmed.isEmpty()) {
      throw syntax("EOF while parsing a value at line 1 column " + body.length);
    }
    try {
      JsonNode n = AdminViews.JSON.readTree(body);
      if (n == null) {
        throw syntax("EOF while parsing a value at line 1 column " + body.length);
      }
      return n;
    } catch (IOException e) {
      char first = trimmed.charAt(0);
      int col = body.length - trimmed.length() + 1; // the first non-blank character, 1-based
      if (first == 'n' || first == 't' || first == 'f') {
        throw syntax("expected ident at line 1 column " + (col + 1));
      }
      if (!"{[\"-0123456789".contains(String.valueOf(first))) {
        throw syntax("expected value at line 1 column " + col);
      }
      throw syntax(firstLine(e.getMessage()));
    }
  }

  static Refused syntax(String reason) {
    return new Refused(
        HttpResponse.text(400, "Failed to parse the request body as JSON: " + reason));
  }

  static Refused shape(String reason) {
    return new Refused(
        HttpResponse.text(
            422, "Failed to deserialize the JSON body into the target type: " + reason));
  }

  /**
   * Walks the fields of a top-level JSON object in order, as serde does for a struct: each field is
   * handed to {@code visitor} with the parser on its value; a field seen twice is serde's
   * "duplicate field". A body that is not an object is "expected struct {@code structName}".
   */
  static void fields(byte[] body, String structName, FieldVisitor visitor) throws Refused {
    try (JsonParser p = AdminViews.JSON.getFactory().createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        // nothing Jackson reads as a value (blanks, or a NUL it takes for the end)
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        String trimmed = text.strip();
        throw syntax(
            trimmed.isEmpty()
                ? "EOF while parsing a value at line 1 column " + body.length
                : "expected value at line 1 column " + (text.indexOf(trimmed.charAt(0)) + 1));
      }
      if (t == JsonToken.START_ARRAY) {
        return; // serde reads a struct from a sequence too; an empty one sets nothing
      }
      if (t != JsonToken.START_OBJECT) {
        throw shape(invalidType(p, t) + ", expected struct " + structName + " " + at(p));
      }
      Set<String> seen = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (!seen.add(name) && visitor.knows(name)) {
          // serde stops at the closing quote of the repeated name
          var loc = p.currentTokenLocation();
          throw shape(
              "duplicate field `"
                  + name
                  + "` at line "
                  + loc.getLineNr()
                  + " column "
                  + (loc.getColumnNr() + name.length() + 1));
        }
        JsonToken v = p.nextToken();
        if (visitor.knows(name)) {
          visitor.visit(name, p, v);
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw syntax(firstLine(e.getMessage()));
    }
  }

  /** The fields of one request type. */
  interface FieldVisitor {
    boolean knows(String field);

    void visit(String field, JsonParser p, JsonToken value) throws IOException, Refused;
  }

  /** A nullable boolean field. */
  static Boolean bool(String field, JsonParser p, JsonToken t) throws IOException, Refused {
    return switch (t) {
      case VALUE_NULL -> null;
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> throw shape(field + ": " + invalidType(p, t) + ", expected a boolean " + at(p));
    };
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.split("\n")[0];
  }
}
