package dev.yardmaster.router.front;

import dev.yardmaster.backend.kserve.PropagatedHeaders;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Picks the pool of a call (the {@code x-yardmaster-pool} header, else the only pool), keeps the
 * headers to propagate, and answers with the pool in the {@code x-yardmaster-pool} response header.
 * An unknown pool ends the call with INVALID_ARGUMENT naming the known ones.
 */
final class PoolSelectionInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> POOL_HEADER = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<Pool> POOL = Context.key("yardmaster-pool");
  static final Context.Key<Metadata> PROPAGATED = Context.key("yardmaster-propagated-headers");

  private final Pools pools;

  PoolSelectionInterceptor(Pools pools) {
    this.pools = pools;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String requested = headers.get(POOL_HEADER);
    @Nullable Pool pool;
    if (requested != null) {
      pool = pools.get(requested);
      if (pool == null) {
        call.close(Status.INVALID_ARGUMENT.withDescription(
            "x-yardmaster-pool: '" + requested + "' (expected: one of " + pools.names() + ")"), new Metadata());
        return new ServerCall.Listener<>() { };
      }
    } else {
      List<String> names = pools.names();
      pool = names.size() == 1 ? pools.get(names.get(0)) : null;
    }
    Context context = Context.current().withValue(PROPAGATED, PropagatedHeaders.from(headers));
    ServerCall<Q, R> answered = call;
    if (pool != null) {
      context = context.withValue(POOL, pool);
      String name = pool.name();
      answered = new SimpleForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          responseHeaders.put(POOL_HEADER, name);
          super.sendHeaders(responseHeaders);
        }
      };
    }
    return Contexts.interceptCall(context, answered, headers, next);
  }
}
