package dev.yardmaster.router.config;

import org.jspecify.annotations.Nullable;

/** A {@code host:port} endpoint entry from config. */
public record HostPort(String host, int port) {

  /** Parses {@code host:port} (IPv6 as {@code [addr]:port}). */
  public static HostPort parse(String text) {
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException("endpoint: '" + text + "' (expected: " + problem + ")");
    }
    int colon = text.lastIndexOf(':');
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
  }

  /** What is wrong with {@code text} as an endpoint, or null when it is fine. */
  static @Nullable String problem(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      return "host:port, e.g. triton-gpu.serving.svc:8001";
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 1 || port > 65535) {
        return "a port >= 1 and <= 65535";
      }
    } catch (NumberFormatException e) {
      return "host:port with a numeric port";
    }
    return null;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
