package dev.resolute.server.config;

import java.net.InetSocketAddress;

/** A {@code host:port} to listen on, e.g. {@code 0.0.0.0:8080} or {@code [::1]:8080}. */
public record BindAddress(String host, int port) {
  public BindAddress {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("missing host in bind address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range 0..65535");
    }
  }

  /** Parses {@code ip:port}; the host must be an IP literal or {@code localhost}. */
  public static BindAddress parse(String text) {
    String s = text == null ? "" : text.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(
          "invalid socket address '" + text + "', expected <ip>:<port>");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "invalid socket address '" + text + "', IPv6 hosts need brackets");
    }
    if (!host.equals("localhost") && !isIpLiteral(host)) {
      throw new IllegalArgumentException("invalid IP address syntax in '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port in socket address '" + text + "'");
    }
    return new BindAddress(host, port);
  }

  private static boolean isIpLiteral(String host) {
    if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String part : host.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    return host.contains(":") && host.matches("[0-9a-fA-F:.%A-Za-z]+");
  }

  public InetSocketAddress toInetSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
