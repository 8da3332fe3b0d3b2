package dev.yardmaster.router.admission;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.ProtoTensorCodec;
import dev.yardmaster.router.policy.Tier;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The facts admission found in one call's metadata. One call may carry many requests (a
 * {@code ModelStreamInfer} stream): the gRPC deadline bounds the whole call, while
 * {@code x-deadline-ms} is a budget each request gets from its own arrival.
 *
 * @param tier the SLA tier, from {@code x-sla-tier} or the configured default
 * @param callDeadlineNanos when the call ends (gRPC deadline), or {@link #NO_DEADLINE}
 * @param requestBudgetNanos time each request has from its arrival ({@code x-deadline-ms}), or
 *     {@link #NO_BUDGET}
 */
public record AdmittedRequest(Tier tier, long callDeadlineNanos, long requestBudgetNanos) {

  public static final long NO_DEADLINE = Long.MAX_VALUE;
  public static final long NO_BUDGET = 0;

  public AdmittedRequest {
    if (requestBudgetNanos < 0) {
      throw new IllegalArgumentException("requestBudgetNanos: " + requestBudgetNanos + " (expected: >= 0)");
    }
  }

  /** A request of the tier with no deadline. */
  public static AdmittedRequest of(Tier tier) {
    return new AdmittedRequest(tier, NO_DEADLINE, NO_BUDGET);
  }

  public boolean hasDeadline() {
    return callDeadlineNanos != NO_DEADLINE || requestBudgetNanos != NO_BUDGET;
  }

  /** The deadline of a request that arrived at {@code arrivalNanos}, or {@link #NO_DEADLINE}. */
  public long deadlineNanos(long arrivalNanos) {
    if (requestBudgetNanos == NO_BUDGET) {
      return callDeadlineNanos;
    }
    long own = arrivalNanos + requestBudgetNanos;
    // nanoTime values may be negative; compare by difference, as System.nanoTime() asks
    return callDeadlineNanos == NO_DEADLINE || own - callDeadlineNanos < 0 ? own : callDeadlineNanos;
  }

  /**
   * The request as the batcher should see it.
   *
   * <p>Priority: the tier's priority level, unless the client set Triton's {@code priority}
   * parameter itself; an explicit parameter wins, so Triton clients keep the behaviour they know.
   *
   * <p>Queue timeout: the time left until the deadline, or the client's {@code timeout}
   * parameter when that is shorter. The batcher uses it only where the model's queue policy
   * has {@code allow_timeout_override} and a longer {@code default_timeout_microseconds} (as in
   * Triton, an override only shortens a default); the front end enforces the deadline for the others.
   *
   * @throws InferenceException DEADLINE_EXCEEDED when the deadline passed before scheduling
   */
  public InferRequest apply(InferRequest request, long nowNanos) {
    return apply(request, nowNanos, request.cancelled());
  }

  /**
   * As {@link #apply(InferRequest, long)}, with {@code cancelled} saying when the caller has gone
   * (the scheduler then drops the request instead of executing it).
   */
  public InferRequest apply(InferRequest request, long nowNanos, BooleanSupplier cancelled) {
    int priority = request.parameters().containsKey(ProtoTensorCodec.PRIORITY_PARAMETER)
        ? request.priority() : tier.priority();
    long timeoutMicros = request.timeoutMicros();
    long deadline = deadlineNanos(request.arrivalNanos());
    if (deadline != NO_DEADLINE) {
      long leftNanos = deadline - nowNanos;
      if (leftNanos <= 0) {
        throw InferenceException.deadlineExceeded(
            "deadline: passed %.3f ms before model '%s' could be scheduled (expected: time left)",
            -leftNanos / 1e6, request.modelName());
      }
      long leftMicros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(leftNanos));
      timeoutMicros = timeoutMicros > 0 ? Math.min(timeoutMicros, leftMicros) : leftMicros;
    }
    if (priority == request.priority() && timeoutMicros == request.timeoutMicros()
        && cancelled == request.cancelled()) {
      return request;
    }
    return new InferRequest(request.modelName(), request.modelVersion(), request.id(), request.inputs(),
        request.requestedOutputs(), request.parameters(), priority, timeoutMicros, request.arrivalNanos(), cancelled);
  }
}
