package dev.yardmaster.router.server;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.RequestMetrics.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

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
    HttpHeaders headers = ctx.request().headers();
    AdmittedRequest admitted;
    try {
      admitted = admission.admit(headers::get, receivedNanos);
    } catch (InferenceException refused) {
      ctx.setAdditionalResponseHeader(POOL_HEADER, pool);
      metrics.recordRefused(modelLabel(model), null, Outcome.of(refused));
      throw refused;
    }
    // one mutation: each one copies the context's additional headers
    String tier = admitted.tier().name();
    ctx.mutateAdditionalResponseHeaders(facts -> facts.set(POOL_HEADER, pool).set(TIER_HEADER, tier));
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
    CompletableFuture<InferResponse> answer = new CompletableFuture<>();
    infer(ctx, admitted, request, (response, error) -> {
      if (error == null) {
        answer.complete(response);
      } else {
        answer.completeExceptionally(error);
      }
    });
    return answer;
  }

  /**
   * As {@link #infer(ServiceRequestContext, AdmittedRequest, InferRequest)}, answering a listener
   * instead of a future: it is called exactly once, with a response or an
   * {@link InferenceException}, after the response facts are set and the metrics recorded: on the
   * call's event loop, except for a response too large to encode there (see
   * {@link RequestAnswer}) and a request that fails before scheduling (the calling thread).
   *
   * <p>A deadline that Armeria enforces itself (the gRPC deadline, which it reads from
   * {@code grpc-timeout}) gets no timer of ours: only an earlier {@code x-deadline-ms} budget, or a
   * deadline Armeria does not know of, is watched on the call's event loop. Either way a result
   * that comes after the deadline is answered DEADLINE_EXCEEDED.
   */
  public void infer(ServiceRequestContext ctx, AdmittedRequest admitted, InferRequest request,
      BiConsumer<? super @Nullable InferResponse, ? super @Nullable Throwable> listener) {
    long nowNanos = System.nanoTime();
    long deadline = admitted.deadlineNanos(request.arrivalNanos());
    InferRequest scheduled;
    try {
      scheduled = admitted.apply(request, nowNanos, callerGone(ctx, admitted, deadline));
    } catch (InferenceException expired) {
      knownVersion(ctx, request);
      metrics.recordRefused(modelLabel(request.modelName()), admitted.tier(), Outcome.of(expired));
      listener.accept(null, expired);
      return;
    }
    metrics.routeDecision(LOCAL_REASON);
    RequestAnswer answer = new RequestAnswer(this, core, metrics, ctx, admitted, request, deadline, listener);
    // the call's event loop may run a tiny model's batch itself, sparing two thread hops
    CompletableFuture<InferResponse> result = core.start(scheduled, ctx.eventLoop().withoutContext());
    if (deadline != AdmittedRequest.NO_DEADLINE && !result.isDone() && !armeriaEnforces(ctx, admitted, deadline)) {
      answer.enforceDeadline(nowNanos);
    }
    result.whenComplete(answer);
  }

  /**
   * Whether the caller has gone, for the scheduler to drop the request rather than execute it: the
   * call was cancelled (by the client, a reset stream, a closed connection, or the gRPC deadline
   * Armeria enforces; for a ModelStreamInfer, the whole stream), or the request's own deadline passed.
   */
  private static BooleanSupplier callerGone(ServiceRequestContext ctx, AdmittedRequest admitted, long deadline) {
    if (deadline == AdmittedRequest.NO_DEADLINE || armeriaEnforces(ctx, admitted, deadline)) {
      return ctx::isCancelled;
    }
    return () -> ctx.isCancelled() || System.nanoTime() - deadline > 0;
  }

  /** Armeria times the call out itself when the deadline is the gRPC one it read from the call. */
  private static boolean armeriaEnforces(ServiceRequestContext ctx, AdmittedRequest admitted, long deadline) {
    return deadline == admitted.callDeadlineNanos() && ctx.requestTimeoutMillis() > 0;
  }

  /** Sets the version header once: a stream's later answers find it set (and already sent). */
  static void reportVersion(ServiceRequestContext ctx, String version) {
    if (!ctx.additionalResponseHeaders().contains(MODEL_VERSION_HEADER)) {
      ctx.setAdditionalResponseHeader(MODEL_VERSION_HEADER, version);
    }
  }

  /** Puts the model version on an error response where it is known: asked for, or resolvable. */
  void knownVersion(ServiceRequestContext ctx, InferRequest request) {
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
