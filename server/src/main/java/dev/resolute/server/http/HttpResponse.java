package dev.resolute.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A complete HTTP response, independent of Netty. */
public record HttpResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static HttpResponse of(int status) {
    return new HttpResponse(status, new ArrayList<>(), new byte[0]);
  }

  public static HttpResponse bytes(int status, String contentType, byte[] body) {
    List<Map.Entry<String, String>> h = new ArrayList<>();
    if (contentType != null) {
      h.add(Map.entry("content-type", contentType));
    }
    return new HttpResponse(status, h, body);
  }

  /** Serialises {@code value} with Jackson as {@code application/json}. */
  public static HttpResponse json(int status, Object value) {
    try {
      return bytes(status, "application/json", JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static HttpResponse text(int status, String text) {
    return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a copy with one more header. */
  public HttpResponse withHeader(String name, String value) {
    List<Map.Entry<String, String>> h = new ArrayList<>(headers);
    h.add(Map.entry(name, value));
    return new HttpResponse(status, h, body);
  }
}
