package dev.yardmaster.router.front;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.router.pool.Endpoint;
import dev.yardmaster.router.pool.Pool;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * RepositoryModelLoad and RepositoryModelUnload through the router: the call goes to every endpoint
 * of every pool (only the pinned pool's with {@code x-yardmaster-pool}), healthy or not, since a
 * model loaded on one replica of a pool would leave the others answering differently. OK only when
 * every endpoint answered OK; otherwise the status of the first failed endpoint in config order,
 * with a message naming each failed endpoint ({@code pool/ip:port}) and its reason. Only admins
 * may call these when auth is on ({@link #ADMIN_ONLY}, checked by the interceptor).
 */
final class RepositoryControlFanOut {

  /** The full names of the methods that change what the pools' servers serve. */
  static final List<String> ADMIN_ONLY = List.of(
      GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod().getFullMethodName(),
      GRPCInferenceServiceGrpc.getRepositoryModelUnloadMethod().getFullMethodName());

  private RepositoryControlFanOut() {}

  /** Whether {@code fullMethodName} is one of {@link #ADMIN_ONLY}. */
  static boolean adminOnly(String fullMethodName) {
    return ADMIN_ONLY.contains(fullMethodName);
  }

  /**
   * Sends {@code request} to every endpoint of {@code targets} and answers {@code out} once all have
   * answered: {@code ok} when every one succeeded, else the first failure's status naming them all.
   *
   * @param what the call and the model, for messages, e.g. {@code RepositoryModelLoad 'higgs_mlp_v1'}
   */
  static <Q, R> void send(String what, List<Pool> targets, MethodDescriptor<Q, R> method, Q request, R ok,
      Deadline deadline, Metadata headers, StreamObserver<R> out) {
    List<Target> sent = new ArrayList<>();
    for (Pool pool : targets) {
      for (Endpoint endpoint : pool.endpoints()) {
        if (!endpoint.removed()) {
          sent.add(new Target(pool.name() + "/" + endpoint.id(),
              endpoint.client().unary(method, request, deadline, headers)));
        }
      }
    }
    if (sent.isEmpty()) {
      out.onError(Status.UNAVAILABLE.withDescription(what + ": no endpoint to send it to (expected: at least one "
          + "endpoint in pools " + targets.stream().map(Pool::name).toList() + ")").asRuntimeException());
      return;
    }
    Futures.whenAllComplete(sent.stream().map(Target::answer).toList()).call(() -> {
      answer(what, sent, ok, out);
      return null;
    }, MoreExecutors.directExecutor());
  }

  private static <R> void answer(String what, List<Target> sent, R ok, StreamObserver<R> out) {
    @Nullable Status first = null;
    List<String> failures = new ArrayList<>();
    for (Target target : sent) {
      Status status = statusOf(target.answer());
      if (!status.isOk()) {
        first = first == null ? status : first;
        failures.add(target.name() + ": " + status.getCode()
            + (status.getDescription() != null ? " " + status.getDescription() : ""));
      }
    }
    if (first == null) {
      out.onNext(ok);
      out.onCompleted();
      return;
    }
    out.onError(first.withDescription(what + ": failed on " + failures.size() + " of " + sent.size()
        + " endpoints (expected: OK from every endpoint): " + String.join("; ", failures)).asRuntimeException());
  }

  private static Status statusOf(ListenableFuture<?> answer) {
    try {
      Futures.getDone(answer);
      return Status.OK;
    } catch (ExecutionException failed) {
      return Status.fromThrowable(failed.getCause());
    } catch (CancellationException cancelled) {
      return Status.CANCELLED.withCause(cancelled);
    }
  }

  /** One endpoint asked: {@code pool/ip:port} and its pending answer. */
  private record Target(String name, ListenableFuture<?> answer) {}
}
