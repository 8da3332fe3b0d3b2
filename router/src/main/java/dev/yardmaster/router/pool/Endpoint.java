package dev.yardmaster.router.pool;

import com.linecorp.armeria.client.WebClient;
import dev.yardmaster.backend.kserve.KServeEndpointClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One backend server of a pool ({@code ip:port}) with its client and live stats: requests and rows
 * in flight, EWMA latency and an HdrHistogram {@link Recorder} of latencies in microseconds.
 *
 * <p>An endpoint starts {@link EndpointState#UNHEALTHY} and takes traffic once an active health check
 * passes. A removed endpoint takes no new requests; its client closes when the last request in
 * flight ends, so reloads and DNS changes drop nothing.
 */
public final class Endpoint {

  /** Weight of the newest sample in the latency EWMA. */
  static final double EWMA_ALPHA = 0.2;

  private final String id;
  private final String configured;
  private final KServeEndpointClient client;
  private final WebClient frames;
  private final int maxMessageBytes;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong inFlightRows = new AtomicLong();
  private final AtomicLong ewmaLatencyBits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
  private final Recorder latencyMicros = new Recorder(3);
  private final Timer latencyTimer;
  private final Counter[] ejections;
  private volatile boolean healthy;
  private volatile boolean ejected;
  private volatile boolean removed;
  private volatile boolean closed;
  // health-check runs, written only by the health checker's callbacks (one check at a time)
  int passesInARow;
  int failuresInARow;
  final java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();

  Endpoint(String id, String configured, KServeEndpointClient client, WebClient frames, int maxMessageBytes,
      Timer latencyTimer, Counter[] ejections) {
    this.id = id;
    this.configured = configured;
    this.client = client;
    this.frames = frames;
    this.maxMessageBytes = maxMessageBytes;
    this.latencyTimer = latencyTimer;
    this.ejections = ejections;
  }

  /** {@code ip:port}, the endpoint's identity and metrics label. */
  public String id() {
    return id;
  }

  /** The config entry it came from ({@code host:port}, maybe a DNS name). */
  public String configured() {
    return configured;
  }

  public KServeEndpointClient client() {
    return client;
  }

  /**
   * An HTTP/2 client sending gRPC frames unchanged, on the same connections as {@link #client()}. It
   * bounds no answer: Armeria's bound closes the whole connection, so its user reads each answer
   * within {@link #maxMessageBytes()} and resets only that answer's stream when it is longer.
   */
  public WebClient frames() {
    return frames;
  }

  /** The largest answer message the endpoint's clients take: the router's {@code server.max_message_mb}. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public EndpointState state() {
    if (!healthy) {
      return EndpointState.UNHEALTHY;
    }
    return ejected ? EndpointState.EJECTED : EndpointState.HEALTHY;
  }

  /** Takes new requests: healthy, not ejected, not removed. */
  public boolean selectable() {
    return healthy && !ejected && !removed;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long inFlightRows() {
    return inFlightRows.get();
  }

  /** EWMA of completed request latency in nanoseconds; NaN before the first. */
  public double ewmaLatencyNanos() {
    return Double.longBitsToDouble(ewmaLatencyBits.get());
  }

  /** Latencies (µs) recorded since the last call; for reports and routing refreshes. */
  public Histogram takeLatencyHistogram() {
    return latencyMicros.getIntervalHistogram();
  }

  public boolean removed() {
    return removed;
  }

  void begin(long rows) {
    inFlight.incrementAndGet();
    inFlightRows.addAndGet(rows);
  }

  /** Ends one request; {@code latencyNanos} < 0 when it produced no latency sample (failed). */
  void end(long rows, long latencyNanos) {
    inFlightRows.addAndGet(-rows);
    int left = inFlight.decrementAndGet();
    if (latencyNanos >= 0) {
      latencyTimer.record(latencyNanos, TimeUnit.NANOSECONDS);
      latencyMicros.recordValue(Math.max(0, latencyNanos / 1000));
      long old;
      double next;
      do {
        old = ewmaLatencyBits.get();
        double current = Double.longBitsToDouble(old);
        next = Double.isNaN(current) ? latencyNanos : current + EWMA_ALPHA * (latencyNanos - current);
      } while (!ewmaLatencyBits.compareAndSet(old, Double.doubleToRawLongBits(next)));
    }
    if (left == 0 && removed) {
      closeClient();
    }
  }

  void setHealthy(boolean isHealthy) {
    this.healthy = isHealthy;
  }

  boolean healthy() {
    return healthy;
  }

  void eject(EjectionReason reason) {
    ejected = true;
    ejections[reason.ordinal()].increment();
  }

  void uneject() {
    ejected = false;
  }

  /** Takes no new requests; closes the client once requests in flight end. */
  void remove() {
    removed = true;
    if (inFlight.get() == 0) {
      closeClient();
    }
  }

  private void closeClient() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    client.close(0);
  }

  @Override
  public String toString() {
    return id + " " + state() + " inFlight=" + inFlight.get();
  }
}
