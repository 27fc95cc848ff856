package dev.resolute.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Pieces of the JSON error texts restate-server's HTTP APIs answer (serde's words), read off a
 * Jackson parser: shared by every request body parser that must answer as restate-server does.
 */
public final class SerdeText {
  private SerdeText() {}

  /** serde's "invalid type: …" for the token under the parser (skips a container). */
  public static String invalidType(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> "invalid type: string \"" + p.getText() + "\"";
      case VALUE_NUMBER_INT -> "invalid type: integer `" + p.getText() + "`";
      case VALUE_NUMBER_FLOAT -> "invalid type: floating point `" + p.getText() + "`";
      case VALUE_TRUE, VALUE_FALSE -> "invalid type: boolean `" + p.getText() + "`";
      case START_ARRAY -> {
        p.skipChildren();
        yield "invalid type: sequence";
      }
      case START_OBJECT -> {
        p.skipChildren();
        yield "invalid type: map";
      }
      default -> "invalid type: null";
    };
  }

  /** serde's position: the last character of the current token (Jackson's is the one after). */
  public static String at(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      p.getText(); // finishes the token so the location is past its closing quote
    }
    var loc = p.currentLocation();
    return "at line " + loc.getLineNr() + " column " + Math.max(0, loc.getColumnNr() - 1);
  }
}
