package dev.resolute.client.internal;

import dev.resolute.client.ResponseHead;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@link ResponseHead.Headers} over the JDK's case-insensitive {@link HttpHeaders}. */
final class JdkHeaders implements ResponseHead.Headers {
  private final HttpHeaders headers;

  JdkHeaders(HttpHeaders headers) {
    this.headers = headers;
  }

  @Override
  public String get(String key) {
    return headers.firstValue(key).orElse(null);
  }

  @Override
  public Set<String> keys() {
    return headers.map().keySet().stream()
        .map(k -> k.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
  }

  @Override
  public Map<String, String> toLowercaseMap() {
    Map<String, String> m = new TreeMap<>();
    headers
        .map()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty()) {
                m.putIfAbsent(k.toLowerCase(Locale.ROOT), v.get(0));
              }
            });
    return m;
  }

  @Override
  public String toString() {
    return toLowercaseMap().toString();
  }
}
