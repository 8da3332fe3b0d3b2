package dev.yardmaster.backend.kserve;

import io.grpc.Metadata;
import java.util.List;

/**
 * The request metadata a router passes on to the endpoint: the SLA tier, W3C trace context and the
 * request id. Everything else (authorization, hop-by-hop headers) stays at the router.
 */
public final class PropagatedHeaders {

  /** The header names copied from the caller's metadata, in order. */
  public static final List<String> NAMES = List.of("x-sla-tier", "traceparent", "tracestate", "x-request-id");

  private static final List<Metadata.Key<String>> KEYS = NAMES.stream()
      .map(name -> Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))
      .toList();

  private static final Metadata EMPTY = new Metadata();

  private PropagatedHeaders() {}

  /** The propagated subset of {@code incoming}; a shared empty instance when none is present. */
  public static Metadata from(Metadata incoming) {
    Metadata out = null;
    for (Metadata.Key<String> key : KEYS) {
      String value = incoming.get(key);
      if (value != null) {
        if (out == null) {
          out = new Metadata();
        }
        out.put(key, value);
      }
    }
    return out == null ? EMPTY : out;
  }

  /** Metadata with no headers, for calls that propagate nothing (health checks). */
  public static Metadata none() {
    return EMPTY;
  }
}
