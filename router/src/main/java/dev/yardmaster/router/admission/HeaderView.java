package dev.yardmaster.router.admission;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Read access to a request's metadata: HTTP headers or gRPC metadata. Names are lower case, as
 * HTTP/2 sends them.
 */
@FunctionalInterface
public interface HeaderView {

  /** The first value of a header, or null when absent. */
  @Nullable String get(String lowerCaseName);

  /** A view of a fixed map (tests, the simulator). */
  static HeaderView of(Map<String, String> headers) {
    return headers::get;
  }

  /** No metadata at all. */
  static HeaderView empty() {
    return name -> null;
  }
}
