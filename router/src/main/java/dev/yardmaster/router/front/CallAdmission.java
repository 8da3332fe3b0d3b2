package dev.yardmaster.router.front;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.admission.AuthConfig;
import dev.yardmaster.router.admission.HeaderView;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.LiveRouter;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.RequestMetrics.Outcome;
import io.grpc.Status;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a call's headers admit it to, the same for the general gRPC path ({@link
 * PoolSelectionInterceptor}) and the pass-through ModelInfer path ({@link ModelInferPassThrough}):
 * with auth on, the bearer token ({@link AuthConfig}: UNAUTHENTICATED, or PERMISSION_DENIED for a
 * pin, a load or an unload without an admin token; health calls need none); the pinned pool
 * ({@code x-yardmaster-pool}; unknown -> INVALID_ARGUMENT naming the known ones); and for inference
 * calls the tier and deadline through {@link dev.yardmaster.router.admission.Admission} (a bad
 * header -> INVALID_ARGUMENT naming the allowed values). Refusals are counted.
 */
final class CallAdmission {

  static final String MODEL_INFER = GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();
  private static final String MODEL_STREAM_INFER =
      GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName();
  private static final String SERVER_LIVE = GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName();
  private static final String SERVER_READY = GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName();

  /**
   * The verdict on one call: a refusal, or the pool it may use (pinned, or the only one; null when
   * several and none pinned), the pin itself, and for inference calls its admitted tier and deadline.
   */
  record Verdict(@Nullable Status refusal, @Nullable Pool pool, @Nullable String pinned,
      @Nullable AdmittedRequest admitted) {

    static Verdict refused(Status status) {
      return new Verdict(status, null, null, null);
    }
  }

  private CallAdmission() {}

  /**
   * Checks the call to {@code fullMethodName} ({@code package.Service/Method}) with {@code headers}
   * (lower-case names), received at {@code receivedNanos}.
   */
  static Verdict check(Pools pools, LiveRouter router, String fullMethodName, HeaderView headers,
      long receivedNanos) {
    String requested = headers.get(AuthConfig.PIN_HEADER);
    AuthConfig.Refused denied = isHealth(fullMethodName) ? null
        : refusal(router.auth(), fullMethodName, headers.get(AuthConfig.AUTHORIZATION_HEADER), requested != null);
    if (denied != null) {
      boolean unauthenticated = denied.refusal() == AuthConfig.Refusal.UNAUTHENTICATED;
      router.refused(RequestMetrics.UNKNOWN_MODEL, null,
          unauthenticated ? Outcome.UNAUTHENTICATED : Outcome.PERMISSION_DENIED);
      return Verdict.refused((unauthenticated ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED)
          .withDescription(denied.message()));
    }
    @Nullable Pool pool;
    if (requested != null) {
      pool = pools.get(requested);
      if (pool == null) {
        return Verdict.refused(Status.INVALID_ARGUMENT.withDescription(
            "x-yardmaster-pool: '" + requested + "' (expected: one of " + pools.names() + ")"));
      }
    } else {
      List<String> names = pools.names();
      pool = names.size() == 1 ? pools.get(names.get(0)) : null;
    }
    AdmittedRequest admitted = null;
    if (isInference(fullMethodName)) {
      try {
        admitted = router.admission().admit(headers, receivedNanos);
      } catch (InferenceException refused) {
        router.refused(RequestMetrics.UNKNOWN_MODEL, null, Outcome.INVALID_ARGUMENT);
        return Verdict.refused(Status.INVALID_ARGUMENT.withDescription(refused.getMessage()));
      }
    }
    return new Verdict(null, pool, requested, admitted);
  }

  /** The auth refusal of a call, or null: load and unload need an admin token, pinning too. */
  private static AuthConfig.@Nullable Refused refusal(AuthConfig auth, String fullMethodName,
      @Nullable String authorization, boolean pins) {
    if (!auth.enabled()) {
      return null;
    }
    return RepositoryControlFanOut.adminOnly(fullMethodName)
        ? auth.checkAdmin(authorization, fullMethodName.substring(fullMethodName.lastIndexOf('/') + 1))
        : auth.check(authorization, pins); // an admin may pin too
  }

  /** ServerLive and ServerReady need no token, so probes work with auth on. */
  private static boolean isHealth(String fullMethodName) {
    return fullMethodName.equals(SERVER_LIVE) || fullMethodName.equals(SERVER_READY);
  }

  private static boolean isInference(String fullMethodName) {
    return fullMethodName.equals(MODEL_INFER) || fullMethodName.equals(MODEL_STREAM_INFER);
  }
}
