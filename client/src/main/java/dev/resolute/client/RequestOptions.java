package dev.resolute.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Per-request options of the ingress client: extra HTTP headers. Immutable. */
public final class RequestOptions {
  public static final RequestOptions DEFAULT = new RequestOptions(Map.of());

  private final Map<String, String> headers;

  private RequestOptions(Map<String, String> headers) {
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The extra headers, never {@code null}. */
  public Map<String, String> headers() {
    return headers;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static Builder withHeaders(Map<String, String> headers) {
    return new Builder().headers(headers);
  }

  /** Builds {@link RequestOptions}. */
  public static final class Builder {
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    public Builder header(String key, String value) {
      headers.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder headers(Map<String, String> newHeaders) {
      newHeaders.forEach(this::header);
      return this;
    }

    public Map<String, String> getHeaders() {
      return headers;
    }

    public Builder setHeaders(Map<String, String> newHeaders) {
      headers.clear();
      return headers(newHeaders);
    }

    public RequestOptions build() {
      return new RequestOptions(headers);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestOptions r && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return headers.hashCode();
  }

  @Override
  public String toString() {
    return "RequestOptions" + headers;
  }
}
