package dev.yardmaster.router.front;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.kserve.PropagatedHeaders;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.admission.AuthConfig;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.CallFacts;
import dev.yardmaster.router.routing.LiveRouter;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.RequestMetrics.Outcome;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a call's routing facts from its metadata: with auth on, the bearer token ({@link AuthConfig}:
 * UNAUTHENTICATED, or PERMISSION_DENIED for a pin, a load or an unload without an admin token; health calls need none); the pinned pool ({@code x-yardmaster-pool};
 * unknown -> INVALID_ARGUMENT naming the known ones), and for inference calls the tier and deadline
 * through {@link Admission} (a bad header -> INVALID_ARGUMENT naming the allowed values). Keeps the
 * headers to propagate, and answers every call with the facts it learned: {@code x-yardmaster-pool},
 * {@code x-yardmaster-tier}, {@code x-yardmaster-model-version} (in the headers, or in the trailers
 * of a call that ends without a response).
 */
final class PoolSelectionInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> POOL_HEADER = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> TIER_HEADER = Metadata.Key.of("x-yardmaster-tier", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> MODEL_VERSION_HEADER =
      Metadata.Key.of("x-yardmaster-model-version", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SLA_TIER =
      Metadata.Key.of(Admission.TIER_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of(AuthConfig.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> DEADLINE_MS =
      Metadata.Key.of(Admission.DEADLINE_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /** The pool pinned by header, or the only pool; null when several pools and no pin. */
  static final Context.Key<Pool> POOL = Context.key("yardmaster-pool");
  /** The {@code x-yardmaster-pool} value, when the call pinned a pool. */
  static final Context.Key<String> PINNED = Context.key("yardmaster-pinned-pool");
  static final Context.Key<Metadata> PROPAGATED = Context.key("yardmaster-propagated-headers");
  static final Context.Key<AdmittedRequest> ADMITTED = Context.key("yardmaster-admitted");
  static final Context.Key<Long> RECEIVED_NANOS = Context.key("yardmaster-received-nanos");
  static final Context.Key<CallFacts> FACTS = Context.key("yardmaster-call-facts");

  private final Pools pools;
  private final LiveRouter router;

  PoolSelectionInterceptor(Pools pools, LiveRouter router) {
    this.pools = pools;
    this.router = router;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    long receivedNanos = System.nanoTime();
    CallFacts facts = new CallFacts();
    ServerCall<Q, R> answered = new FactsCall<>(call, facts);
    String requested = headers.get(POOL_HEADER);
    AuthConfig.Refused denied = isHealth(call) ? null : refusal(call, headers.get(AUTHORIZATION), requested != null);
    if (denied != null) {
      boolean unauthenticated = denied.refusal() == AuthConfig.Refusal.UNAUTHENTICATED;
      router.refused(RequestMetrics.UNKNOWN_MODEL, null,
          unauthenticated ? Outcome.UNAUTHENTICATED : Outcome.PERMISSION_DENIED);
      answered.close((unauthenticated ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED)
          .withDescription(denied.message()), new Metadata());
      return new ServerCall.Listener<>() { };
    }
    @Nullable Pool pool;
    if (requested != null) {
      pool = pools.get(requested);
      if (pool == null) {
        answered.close(Status.INVALID_ARGUMENT.withDescription(
            "x-yardmaster-pool: '" + requested + "' (expected: one of " + pools.names() + ")"), new Metadata());
        return new ServerCall.Listener<>() { };
      }
    } else {
      List<String> names = pools.names();
      pool = names.size() == 1 ? pools.get(names.get(0)) : null;
    }
    Context context = Context.current().withValues(PROPAGATED, PropagatedHeaders.from(headers), FACTS, facts,
        RECEIVED_NANOS, receivedNanos);
    if (requested != null) {
      context = context.withValue(PINNED, requested);
    }
    if (pool != null) {
      context = context.withValue(POOL, pool);
    }
    if (isInference(call)) {
      try {
        AdmittedRequest admitted = router.admission().admit(name -> header(headers, name), receivedNanos);
        facts.tier(admitted.tier().name());
        context = context.withValue(ADMITTED, admitted);
      } catch (InferenceException refused) {
        router.refused(RequestMetrics.UNKNOWN_MODEL, null, Outcome.INVALID_ARGUMENT);
        answered.close(Status.INVALID_ARGUMENT.withDescription(refused.getMessage()), new Metadata());
        return new ServerCall.Listener<>() { };
      }
    } else if (pool != null) {
      facts.pool(pool.name());
    }
    return Contexts.interceptCall(context, answered, headers, next);
  }

  /** The auth refusal of a call, or null: load and unload need an admin token, pinning too. */
  private AuthConfig.@Nullable Refused refusal(ServerCall<?, ?> call, @Nullable String authorization, boolean pins) {
    AuthConfig auth = router.auth();
    if (!auth.enabled()) {
      return null;
    }
    MethodDescriptor<?, ?> method = call.getMethodDescriptor();
    return RepositoryControlFanOut.adminOnly(method.getFullMethodName())
        ? auth.checkAdmin(authorization, method.getBareMethodName()) // an admin may pin too
        : auth.check(authorization, pins);
  }

  /** ServerLive and ServerReady need no token, so probes work with auth on. */
  private static boolean isHealth(ServerCall<?, ?> call) {
    String method = call.getMethodDescriptor().getFullMethodName();
    return method.equals(GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName())
        || method.equals(GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName());
  }

  private static boolean isInference(ServerCall<?, ?> call) {
    String method = call.getMethodDescriptor().getFullMethodName();
    return method.equals(GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName())
        || method.equals(GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName());
  }

  private static @Nullable String header(Metadata headers, String name) {
    return switch (name) {
      case Admission.TIER_HEADER -> headers.get(SLA_TIER);
      case Admission.DEADLINE_HEADER -> headers.get(DEADLINE_MS);
      default -> null; // grpc-timeout is the call's Context deadline, applied by the service
    };
  }

  /** Puts the call's facts on its response headers, or on its trailers when no headers were sent. */
  private static final class FactsCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final CallFacts facts;
    private boolean headersSent;

    FactsCall(ServerCall<Q, R> call, CallFacts facts) {
      super(call);
      this.facts = facts;
    }

    @Override
    public void sendHeaders(Metadata responseHeaders) {
      headersSent = true;
      put(responseHeaders);
      super.sendHeaders(responseHeaders);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!headersSent) {
        put(trailers);
      }
      super.close(status, trailers);
    }

    private void put(Metadata metadata) {
      putIfAbsent(metadata, POOL_HEADER, facts.pool());
      putIfAbsent(metadata, TIER_HEADER, facts.tier());
      putIfAbsent(metadata, MODEL_VERSION_HEADER, facts.modelVersion());
    }

    private static void putIfAbsent(Metadata metadata, Metadata.Key<String> key, @Nullable String value) {
      if (value != null && !metadata.containsKey(key)) {
        metadata.put(key, value);
      }
    }
  }
}
