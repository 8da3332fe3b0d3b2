package dev.yardmaster.profiler.load;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One closed-loop stream: exactly one call outstanding, the next started by the last one's
 * completion. A work-in-progress counter turns a completion delivered inside {@code start()} (a
 * fast failure) into another turn of the loop instead of a deeper stack.
 */
final class ClosedLoopStream {
  private final int index;
  private final Channel channel;
  private final LoadSpec spec;
  private final LoadWindow window;
  private final LoadStats stats;
  private final CountDownLatch finished;
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile @Nullable ClientCall<ModelInferRequest, ModelInferResponse> current;
  private long sequence;

  ClosedLoopStream(
      int index,
      Channel channel,
      LoadSpec spec,
      LoadWindow window,
      LoadStats stats,
      CountDownLatch finished) {
    this.index = index;
    this.channel = channel;
    this.spec = spec;
    this.window = window;
    this.stats = stats;
    this.finished = finished;
  }

  void start() {
    drain();
  }

  /** Cancels the outstanding call, if any; its completion then ends the stream. */
  void cancel() {
    ClientCall<ModelInferRequest, ModelInferResponse> call = current;
    if (call != null) {
      call.cancel("load run stopped", null);
    }
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      if (!done.get()) {
        issueNext();
      }
    } while (wip.decrementAndGet() != 0);
  }

  private void issueNext() {
    long now = window.now();
    LoadWindow.Admission admission = window.admit(now);
    if (admission == LoadWindow.Admission.STOP) {
      current = null;
      if (done.compareAndSet(false, true)) {
        finished.countDown();
      }
      return;
    }
    boolean measured = admission == LoadWindow.Admission.MEASURED;
    LoadRequest request;
    Metadata headers;
    try {
      request = spec.requests().create(index, sequence++);
      headers = LoadCalls.headers(request);
    } catch (RuntimeException e) {
      // a broken factory would fail every call: end the run rather than spin
      failStream(measured);
      return;
    }
    ClientCall<ModelInferRequest, ModelInferResponse> call = LoadCalls.newCall(channel, spec);
    current = call;
    try {
      // the admission time is the start time: building the call in between is a pool lookup and a
      // few small objects, not worth a second clock read per request
      call.start(new Listener(now, measured, request.rows()), headers);
    } catch (RuntimeException e) {
      // no listener callback follows a failed start
      failStream(measured);
      return;
    }
    LoadCalls.send(call, request);
  }

  private void failStream(boolean measured) {
    if (measured) {
      stats.recordError(Status.Code.INTERNAL, window.now());
    }
    window.stop();
    current = null;
    if (done.compareAndSet(false, true)) {
      finished.countDown();
    }
  }

  /** Completion of one call: record it, then start the next. */
  private final class Listener extends ClientCall.Listener<ModelInferResponse> {
    private final long startNanos;
    private final boolean measured;
    private final int rows;

    Listener(long startNanos, boolean measured, int rows) {
      this.startNanos = startNanos;
      this.measured = measured;
      this.rows = rows;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      long now = window.now();
      if (!measured) {
        stats.recordWarmUp();
      } else if (status.isOk()) {
        stats.recordSuccess(now - startNanos, rows, now);
      } else {
        stats.recordError(status.getCode(), now);
      }
      drain();
    }
  }
}
