package dev.yardmaster.profiler.load;

import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Makes the request a stream sends next. Called on the driver's hot path, from many threads:
 * implementations return pre-built requests rather than generating inputs per call (see {@link
 * RequestFactories}).
 */
@FunctionalInterface
public interface RequestFactory {

  /**
   * The request for one call.
   *
   * @param stream the stream index, 0 to concurrency - 1
   * @param sequence the call's number within its stream, from 0
   */
  LoadRequest create(int stream, long sequence);

  /** This factory with a fixed header on every request, e.g. {@code x-sla-tier: gold}. */
  default RequestFactory withHeader(String key, String value) {
    RequestFactory base = this;
    return (stream, sequence) -> base.create(stream, sequence).withHeader(key, value);
  }

  /**
   * This factory with a header chosen by stream index, e.g. streams 0-7 gold, the rest bronze; a
   * {@code null} value leaves the header out.
   */
  default RequestFactory withHeaderByStream(
      String key, IntFunction<? extends @Nullable String> valueByStream) {
    RequestFactory base = this;
    return (stream, sequence) -> {
      LoadRequest request = base.create(stream, sequence);
      String value = valueByStream.apply(stream);
      return value == null ? request : request.withHeader(key, value);
    };
  }
}
