package dev.yardmaster.router.front;

import dev.yardmaster.backend.kserve.PropagatedHeaders;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.admission.AuthConfig;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.CallFacts;
import dev.yardmaster.router.routing.LiveRouter;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Reads a call's routing facts from its metadata through {@link CallAdmission} (auth, the pinned
 * pool, and for inference calls the tier and deadline), answering its refusal as the call's
 * status. Keeps the headers to propagate, and answers every call with the facts it learned: {@code x-yardmaster-pool},
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
    CallAdmission.Verdict verdict = CallAdmission.check(pools, router,
        call.getMethodDescriptor().getFullMethodName(), name -> header(headers, name), receivedNanos);
    Status refusal = verdict.refusal();
    if (refusal != null) {
      answered.close(refusal, new Metadata());
      return new ServerCall.Listener<>() { };
    }
    Context context = Context.current().withValues(PROPAGATED, PropagatedHeaders.from(headers), FACTS, facts,
        RECEIVED_NANOS, receivedNanos);
    String pinned = verdict.pinned();
    if (pinned != null) {
      context = context.withValue(PINNED, pinned);
    }
    Pool pool = verdict.pool();
    if (pool != null) {
      context = context.withValue(POOL, pool);
    }
    AdmittedRequest admitted = verdict.admitted();
    if (admitted != null) {
      facts.tier(admitted.tier().name());
      context = context.withValue(ADMITTED, admitted);
    } else if (pool != null) {
      facts.pool(pool.name());
    }
    return Contexts.interceptCall(context, answered, headers, next);
  }

  private static @Nullable String header(Metadata headers, String name) {
    return switch (name) {
      case Admission.TIER_HEADER -> headers.get(SLA_TIER);
      case Admission.DEADLINE_HEADER -> headers.get(DEADLINE_MS);
      case AuthConfig.AUTHORIZATION_HEADER -> headers.get(AUTHORIZATION);
      case AuthConfig.PIN_HEADER -> headers.get(POOL_HEADER);
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
