package dev.yardmaster.profiler.load;

/**
 * Where the load goes: a gRPC server's host and port.
 *
 * @param host host name or IP literal
 * @param port TCP port, 1 to 65535
 */
public record Target(String host, int port) {

  /** Validates host and port. */
  public Target {
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or IP)");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: >= 1 and <= 65535)");
    }
  }

  /** Parses {@code host:port}; IPv6 literals go in brackets ({@code [::1]:8001}). */
  public static Target parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("target: '" + hostPort + "' (expected: host:port)");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target: '" + hostPort + "' (expected: host:port)", e);
    }
    return new Target(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
