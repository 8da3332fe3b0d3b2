package dev.yardmaster.router.server;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.RequestMetrics.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The in-process serving path as the gRPC and HTTP front ends call it: admission of the call's
 * metadata, the tier's priority and the deadline applied to each request, the model, then the
 * response facts ({@code x-yardmaster-*} headers) and the {@code yardmaster_*} metrics. Routing to
 * pools replaces {@link ServingCore#infer} here later; the front ends stay as they are.
 */
public final class AdmittedInference {

  public static final String POOL_HEADER = "x-yardmaster-pool";
  public static final String TIER_HEADER = "x-yardmaster-tier";
  public static final String MODEL_VERSION_HEADER = "x-yardmaster-model-version";
  /** Route decision reason of the in-process path. */
  public static final String LOCAL_REASON = "local";

  private final ServingCore core;
  private final Admission admission;
  private final RequestMetrics metrics;
  private final String pool;

  public AdmittedInference(ServingCore core, Admission admission, RequestMetrics metrics) {
    this.core = core;
    this.admission = admission;
    this.metrics = metrics;
    this.pool = metrics.pool();
  }

  /**
   * Admits a call from its headers (HTTP headers, or the gRPC metadata Armeria received) and puts
   * the pool and tier on the response.
   *
   * @param model the model asked for, for the metrics of a refused call
   * @throws InferenceException INVALID_ARGUMENT for a bad tier or deadline header, counted
   */
  public AdmittedRequest admit(ServiceRequestContext ctx, String model, long receivedNanos) {
    ctx.setAdditionalResponseHeader(POOL_HEADER, pool);
    HttpHeaders headers = ctx.request().headers();
    AdmittedRequest admitted;
    try {
      admitted = admission.admit(headers::get, receivedNanos);
    } catch (InferenceException refused) {
      metrics.recordRefused(modelLabel(model), null, Outcome.of(refused));
      throw refused;
    }
    ctx.setAdditionalResponseHeader(TIER_HEADER, admitted.tier().name());
    return admitted;
  }

  /**
   * Counts a request of an admitted call that failed before scheduling (it did not decode) and
   * returns the failure as a future.
   */
  public <T> CompletableFuture<T> refuse(AdmittedRequest admitted, String model, Throwable error) {
    metrics.recordRefused(modelLabel(model), admitted.tier(), Outcome.of(error));
    return CompletableFuture.failedFuture(error);
  }

  /**
   * Schedules one decoded request of an admitted call on the in-process models, within its
   * deadline. Never throws; the future fails with an {@link InferenceException}.
   */
  public CompletableFuture<InferResponse> infer(ServiceRequestContext ctx, AdmittedRequest admitted,
      InferRequest request) {
    long nowNanos = System.nanoTime();
    InferRequest scheduled;
    try {
      scheduled = admitted.apply(request, nowNanos);
    } catch (InferenceException expired) {
      knownVersion(ctx, request);
      return refuse(admitted, request.modelName(), expired);
    }
    metrics.routeDecision(LOCAL_REASON);
    CompletableFuture<InferResponse> result = core.infer(scheduled);
    long deadline = admitted.deadlineNanos(request.arrivalNanos());
    if (deadline != AdmittedRequest.NO_DEADLINE && !result.isDone()) {
      // a copy: timing out the answer must not complete the model's own future early
      result = result.copy().orTimeout(deadline - nowNanos, TimeUnit.NANOSECONDS);
    }
    CompletableFuture<InferResponse> answer = new CompletableFuture<>();
    result.whenComplete((response, error) -> {
      long latencyNanos = System.nanoTime() - request.arrivalNanos();
      if (error == null) {
        try {
          reportVersion(ctx, response.modelVersion());
          metrics.record(response.modelName(), admitted.tier(), Outcome.SUCCESS, latencyNanos);
        } finally {
          answer.complete(response); // facts and metrics must never hold the answer back
        }
        return;
      }
      InferenceException failure = unwrapTimeout(error, request, latencyNanos);
      try {
        Outcome outcome = Outcome.of(failure);
        if (outcome != Outcome.NOT_FOUND) {
          knownVersion(ctx, request);
        }
        metrics.record(outcome == Outcome.NOT_FOUND ? RequestMetrics.UNKNOWN_MODEL : request.modelName(),
            admitted.tier(), outcome, latencyNanos);
      } finally {
        answer.completeExceptionally(failure);
      }
    });
    return answer;
  }

  /** Sets the version header once: a stream's later answers find it set (and already sent). */
  private static void reportVersion(ServiceRequestContext ctx, String version) {
    if (!ctx.additionalResponseHeaders().contains(MODEL_VERSION_HEADER)) {
      ctx.setAdditionalResponseHeader(MODEL_VERSION_HEADER, version);
    }
  }

  private static InferenceException unwrapTimeout(Throwable error, InferRequest request, long latencyNanos) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      return InferenceException.deadlineExceeded(
          "deadline: passed after %.3f ms with model '%s' still queued or running (expected: an answer in time)",
          latencyNanos / 1e6, request.modelName());
    }
    return InferenceException.from(error);
  }

  /** Puts the model version on an error response where it is known: asked for, or resolvable. */
  private void knownVersion(ServiceRequestContext ctx, InferRequest request) {
    String version = request.modelVersion();
    if (version.isEmpty()) {
      try {
        version = core.manager().resolve(request.modelName(), "").spec().version();
      } catch (RuntimeException unknown) {
        return;
      }
    }
    reportVersion(ctx, version);
  }

  /** The model label: the name when the server serves it, else one shared value. */
  private String modelLabel(String model) {
    return core.manager().isReady(model, "") ? model : RequestMetrics.UNKNOWN_MODEL;
  }
}
