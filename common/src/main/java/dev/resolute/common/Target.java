package dev.resolute.common;

import java.util.Objects;

/**
 * The address of a handler: service name, handler name and, for virtual objects and workflows, a
 * key.
 */
public final class Target {
  private final String service;
  private final String handler;
  private final String key;

  private Target(String service, String handler, String key) {
    this.service = Objects.requireNonNull(service, "service");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.key = key;
  }

  public static Target service(String service, String handler) {
    return new Target(service, handler, null);
  }

  public static Target virtualObject(String name, String key, String handler) {
    return new Target(name, handler, Objects.requireNonNull(key, "key"));
  }

  public static Target workflow(String name, String key, String handler) {
    return new Target(name, handler, Objects.requireNonNull(key, "key"));
  }

  public String getService() {
    return service;
  }

  public String getHandler() {
    return handler;
  }

  /** The key, or {@code null} for a plain service. */
  public String getKey() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t
        && service.equals(t.service)
        && handler.equals(t.handler)
        && Objects.equals(key, t.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, handler, key);
  }

  @Override
  public String toString() {
    return key == null ? service + "/" + handler : service + "/" + key + "/" + handler;
  }
}
