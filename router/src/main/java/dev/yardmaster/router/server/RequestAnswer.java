package dev.yardmaster.router.server;

import com.linecorp.armeria.common.ContextAwareEventLoop;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.RequestMetrics.Outcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The answer to one admitted request: whichever comes first of the model's result and the
 * request's deadline answers the caller, exactly once, after the response facts and the metrics.
 *
 * <p>One object is the model future's callback and, only where nobody else enforces the deadline,
 * the deadline task on the call's event loop. Either way a small answer is given on that event
 * loop; a large one (over {@value #EVENT_LOOP_ANSWER_LIMIT_BYTES} output bytes) on the model's
 * thread, so that encoding it does not stall the connections of the loop. A result that arrives after the deadline is
 * answered DEADLINE_EXCEEDED as well, so a deadline Armeria enforces (the gRPC one) and one this
 * class enforces read the same in the metrics. The request leaves {@link ServingCore}'s in-flight
 * count only when the model has finished with it, so a graceful stop still waits for it.
 */
final class RequestAnswer implements BiConsumer<InferResponse, Throwable>, Runnable {

  /** Answers with more output bytes are given on the model's thread: encoding them would stall the event loop. */
  static final int EVENT_LOOP_ANSWER_LIMIT_BYTES = 64 * 1024;

  private static final VarHandle ANSWERED;

  static {
    try {
      ANSWERED = MethodHandles.lookup().findVarHandle(RequestAnswer.class, "answered", boolean.class);
    } catch (ReflectiveOperationException impossible) {
      throw new ExceptionInInitializerError(impossible);
    }
  }

  private final AdmittedInference inference;
  private final ServingCore core;
  private final RequestMetrics metrics;
  private final ServiceRequestContext ctx;
  private final AdmittedRequest admitted;
  private final InferRequest request;
  private final long deadlineNanos;
  private final BiConsumer<? super @Nullable InferResponse, ? super @Nullable Throwable> listener;
  @SuppressWarnings("unused") // through ANSWERED
  private volatile boolean answered;
  private volatile @Nullable Future<?> deadlineTask;

  RequestAnswer(AdmittedInference inference, ServingCore core, RequestMetrics metrics, ServiceRequestContext ctx,
      AdmittedRequest admitted, InferRequest request, long deadlineNanos,
      BiConsumer<? super @Nullable InferResponse, ? super @Nullable Throwable> listener) {
    this.inference = inference;
    this.core = core;
    this.metrics = metrics;
    this.ctx = ctx;
    this.admitted = admitted;
    this.request = request;
    this.deadlineNanos = deadlineNanos;
    this.listener = listener;
  }

  /** Answers DEADLINE_EXCEEDED at the deadline unless the model answers first. */
  void enforceDeadline(long nowNanos) {
    Future<?> task = ctx.eventLoop().withoutContext()
        .schedule(this, Math.max(0, deadlineNanos - nowNanos), TimeUnit.NANOSECONDS);
    deadlineTask = task;
    if (answered) {
      task.cancel(false); // the model answered while the task was being scheduled
    }
  }

  /**
   * The model's result; the model is done with the request. The model's thread only claims the
   * answer and hands it to the call's event loop, where the facts, the metrics and the listener
   * run (and where Armeria writes the response anyway): an instance thread serves every member of
   * a batch in turn, so whatever it does per request delays the next execution.
   */
  @Override
  public void accept(@Nullable InferResponse response, @Nullable Throwable error) {
    if (!ANSWERED.compareAndSet(this, false, true)) {
      core.finishOne(); // the deadline answered already
      return;
    }
    // read after the claim: enforceDeadline() either finds the claim or is seen here
    Future<?> task = deadlineTask;
    if (task != null) {
      task.cancel(false);
    }
    ContextAwareEventLoop eventLoop = ctx.eventLoop();
    if (eventLoop.inEventLoop() || (response != null && outputBytes(response) > EVENT_LOOP_ANSWER_LIMIT_BYTES)) {
      answerResult(response, error); // a large answer is encoded here, off the event loop
      return;
    }
    try {
      eventLoop.execute(() -> answerResult(response, error));
    } catch (RejectedExecutionException shutDown) {
      answerResult(response, error);
    }
  }

  private static long outputBytes(InferResponse response) {
    long bytes = 0;
    for (Tensor output : response.outputs()) {
      bytes += output.byteSize();
    }
    return bytes;
  }

  private void answerResult(@Nullable InferResponse response, @Nullable Throwable error) {
    try {
      long nowNanos = System.nanoTime();
      long latencyNanos = nowNanos - request.arrivalNanos();
      if ((error == null || InferenceException.from(error).status() == InferenceException.Status.CANCELLED)
          && deadlineNanos != AdmittedRequest.NO_DEADLINE && nowNanos - deadlineNanos > 0) {
        // too late to be of use, or dropped by the scheduler because the deadline passed
        fail(deadlineExceeded(latencyNanos), latencyNanos);
      } else if (error == null) {
        succeed(response, latencyNanos);
      } else {
        fail(InferenceException.from(error), latencyNanos);
      }
    } finally {
      // after the answer: a graceful stop that sees no request in flight finds every answer given
      core.finishOne();
    }
  }

  /** The deadline passed with the model still holding the request. */
  @Override
  public void run() {
    if (ANSWERED.compareAndSet(this, false, true)) {
      long latencyNanos = System.nanoTime() - request.arrivalNanos();
      fail(deadlineExceeded(latencyNanos), latencyNanos);
    }
  }

  private void succeed(InferResponse response, long latencyNanos) {
    try {
      AdmittedInference.reportVersion(ctx, response.modelVersion());
      metrics.record(response.modelName(), admitted.tier(), Outcome.SUCCESS, latencyNanos);
    } finally {
      listener.accept(response, null); // facts and metrics must never hold the answer back
    }
  }

  private void fail(InferenceException failure, long latencyNanos) {
    try {
      Outcome outcome = Outcome.of(failure);
      if (outcome != Outcome.NOT_FOUND) {
        inference.knownVersion(ctx, request);
      }
      metrics.record(outcome == Outcome.NOT_FOUND ? RequestMetrics.UNKNOWN_MODEL : request.modelName(),
          admitted.tier(), outcome, latencyNanos);
    } finally {
      listener.accept(null, failure);
    }
  }

  private InferenceException deadlineExceeded(long latencyNanos) {
    return InferenceException.deadlineExceeded(
        "deadline: passed after %.3f ms with model '%s' still queued or running (expected: an answer in time)",
        latencyNanos / 1e6, request.modelName());
  }
}
