package dev.yardmaster.profiler.load;

import java.time.Duration;

/**
 * One load run: where, which RPC, what to send, how many streams, and the bounds in time and count.
 * Every run is bounded by {@code warmUp + measure + deadline} plus a short grace however the server
 * behaves.
 *
 * @param target the server
 * @param call which RPC
 * @param requests what each stream sends
 * @param concurrency independent streams, each with exactly one request outstanding (closed loop)
 *     or the cap on outstanding requests (open loop)
 * @param channels gRPC channels (HTTP/2 connections) the streams spread over; 0 means {@link
 *     #defaultChannels(int)}
 * @param warmUp load before measuring (not recorded)
 * @param measure the measurement window: requests started within it are recorded
 * @param maxRequests at most this many requests are started (open loop: arrive) in the measurement
 *     window
 * @param deadline per-request gRPC deadline
 */
public record LoadSpec(
    Target target,
    CallKind call,
    RequestFactory requests,
    int concurrency,
    int channels,
    Duration warmUp,
    Duration measure,
    long maxRequests,
    Duration deadline) {

  /** Most streams one run may have. */
  public static final int MAX_CONCURRENCY = 4096;

  /** Most channels one run may open. */
  public static final int MAX_CHANNELS = 64;

  /** Validates every bound. */
  public LoadSpec {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency: " + concurrency + " (expected: >= 1 and <= " + MAX_CONCURRENCY + ")");
    }
    if (channels < 0 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "channels: " + channels + " (expected: >= 0 and <= " + MAX_CHANNELS + ", 0 = auto)");
    }
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: >= 0)");
    }
    if (measure.isNegative() || measure.isZero()) {
      throw new IllegalArgumentException("measure: " + measure + " (expected: > 0)");
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 1)");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
    }
  }

  /**
   * Channels for a concurrency when not given: one HTTP/2 connection per 16 streams, at most 8, so
   * one connection's event loop is not the bottleneck at c=64.
   */
  public static int defaultChannels(int concurrency) {
    return Math.max(1, Math.min(8, (concurrency + 15) / 16));
  }

  /** The channel count this run uses: {@link #channels()} or the default for its concurrency. */
  public int channelCount() {
    return channels == 0 ? defaultChannels(concurrency) : channels;
  }

  /** This spec at another concurrency (for sweeps); an explicit channel count is kept. */
  public LoadSpec withConcurrency(int newConcurrency) {
    return new LoadSpec(
        target, call, requests, newConcurrency, channels, warmUp, measure, maxRequests, deadline);
  }

  /** This spec with other requests (another batch size, model or tier header). */
  public LoadSpec withRequests(RequestFactory newRequests) {
    return new LoadSpec(
        target, call, newRequests, concurrency, channels, warmUp, measure, maxRequests, deadline);
  }

  /** A builder with defaults: ModelInfer, c=1, auto channels, 2 s warm-up, 10 s measure. */
  public static Builder builder(Target target, RequestFactory requests) {
    return new Builder(target, requests);
  }

  /** Builds a {@link LoadSpec}; defaults are the field initialisers. */
  public static final class Builder {
    private final Target target;
    private RequestFactory requests;
    private CallKind call = CallKind.MODEL_INFER;
    private int concurrency = 1;
    private int channels = 0;
    private Duration warmUp = Duration.ofSeconds(2);
    private Duration measure = Duration.ofSeconds(10);
    private long maxRequests = 100_000_000L;
    private Duration deadline = Duration.ofSeconds(10);

    private Builder(Target target, RequestFactory requests) {
      this.target = target;
      this.requests = requests;
    }

    /** What each stream sends. */
    public Builder requests(RequestFactory value) {
      this.requests = value;
      return this;
    }

    /** Which RPC to call. */
    public Builder call(CallKind value) {
      this.call = value;
      return this;
    }

    /** Streams (closed loop) or outstanding cap (open loop). */
    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    /** gRPC channels; 0 for the default. */
    public Builder channels(int value) {
      this.channels = value;
      return this;
    }

    /** Unrecorded load before the measurement window. */
    public Builder warmUp(Duration value) {
      this.warmUp = value;
      return this;
    }

    /** The measurement window. */
    public Builder measure(Duration value) {
      this.measure = value;
      return this;
    }

    /** Cap on requests started in the measurement window. */
    public Builder maxRequests(long value) {
      this.maxRequests = value;
      return this;
    }

    /** Per-request gRPC deadline. */
    public Builder deadline(Duration value) {
      this.deadline = value;
      return this;
    }

    /** The spec; throws {@link IllegalArgumentException} naming the first bad field. */
    public LoadSpec build() {
      return new LoadSpec(
          target, call, requests, concurrency, channels, warmUp, measure, maxRequests, deadline);
    }
  }
}
