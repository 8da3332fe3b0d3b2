package dev.yardmaster.profiler.load;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * One request the driver sends: the message, how many inferences (rows) it carries, and the gRPC
 * metadata headers to send with it (for example {@code x-sla-tier: gold}).
 *
 * @param message the request message, sent as is
 * @param rows inferences in the request (the batch size), counted into inferences per second
 * @param headers ASCII metadata headers, lower-case keys; copied into fresh metadata per call
 */
public record LoadRequest(ModelInferRequest message, int rows, Map<String, String> headers) {

  /** Validates rows and copies the headers. */
  public LoadRequest {
    if (rows < 1) {
      throw new IllegalArgumentException("rows: " + rows + " (expected: >= 1)");
    }
    headers = Map.copyOf(headers);
  }

  /** A request without headers. */
  public static LoadRequest of(ModelInferRequest message, int rows) {
    return new LoadRequest(message, rows, Map.of());
  }

  /** This request with one more header (replacing a header of the same key). */
  public LoadRequest withHeader(String key, String value) {
    var merged = new HashMap<>(headers);
    merged.put(key, value);
    return new LoadRequest(message, rows, merged);
  }
}
