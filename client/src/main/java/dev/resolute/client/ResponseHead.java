package dev.resolute.client;

import java.util.Map;
import java.util.Set;

/** Status code and headers of an ingress response. */
public interface ResponseHead {

  int statusCode();

  Headers headers();

  /** Response headers; names are case-insensitive. */
  interface Headers {

    /** The first value of the header, or {@code null}. */
    String get(String key);

    /** The header names, lower case. */
    Set<String> keys();

    /** Name (lower case) to first value. */
    Map<String, String> toLowercaseMap();
  }
}
