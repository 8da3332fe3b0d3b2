package dev.yardmaster.backend.kserve;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelReadyResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.protocol.v2.ServerReadyResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * A client to one KServe v2 gRPC endpoint ({@code host:port}) over several HTTP/2 channels, picked
 * round robin per call so that one connection's flow-control window or event loop is not the
 * ceiling.
 *
 * <p>Requests are forwarded as they are: the {@link ModelInferRequest} message, including its
 * {@code raw_input_contents} ByteStrings, is serialized once onto the wire with no tensor decoding
 * (copy count in the package documentation). Every call carries the caller's deadline and the
 * {@link PropagatedHeaders}. Observers and futures complete on the channel's I/O thread, so they
 * must not block.
 *
 * <p>Two transports: {@link #connect} builds grpc-java channels with their own event loops; {@link
 * #over} takes any {@link Channel} (the router passes an Armeria one that runs each call on the
 * calling event loop, so a forwarded request never changes threads). Either way a call is cancelled
 * when the caller's gRPC {@link Context} is.
 */
public final class KServeEndpointClient implements AutoCloseable {

  private final String target;
  private final Channel[] channels;
  private final int connections;
  private final LongConsumer closer;
  /** Whether calls must watch the caller's Context themselves (grpc-java's own channels do it). */
  private final boolean bridgeCancellation;
  private final AtomicInteger next = new AtomicInteger();

  private KServeEndpointClient(String target, Channel[] channels, int connections, LongConsumer closer,
      boolean bridgeCancellation) {
    this.target = target;
    this.channels = channels;
    this.connections = connections;
    this.closer = closer;
    this.bridgeCancellation = bridgeCancellation;
  }

  /**
   * Connects lazily (the first call opens the connections) to {@code host:port} with {@code
   * channelCount} channels; messages up to {@code maxMessageBytes}.
   */
  public static KServeEndpointClient connect(String host, int port, int channelCount, int maxMessageBytes) {
    if (channelCount < 1 || channelCount > 64) {
      throw new IllegalArgumentException("channelCount: " + channelCount + " (expected: >= 1 and <= 64)");
    }
    ManagedChannel[] channels = new ManagedChannel[channelCount];
    for (int i = 0; i < channelCount; i++) {
      channels[i] = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
          .maxInboundMessageSize(maxMessageBytes)
          // callbacks run on the I/O thread: the router's callbacks never block, and a thread hop per
          // response is most of a proxy's added latency
          .directExecutor()
          .build();
    }
    return new KServeEndpointClient(host + ":" + port, channels, channelCount, grace -> closeAll(channels, grace),
        false);
  }

  /**
   * A client calling {@code target} over {@code channel}, a transport built elsewhere that spreads
   * calls over {@code connections} HTTP/2 connections; {@code closer} closes it, given the grace in
   * milliseconds. The caller's Context cancellation is passed on to each call.
   */
  public static KServeEndpointClient over(String target, Channel channel, int connections, LongConsumer closer) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
    }
    return new KServeEndpointClient(target, new Channel[] {channel}, connections, closer, true);
  }

  /** {@code host:port} of the endpoint. */
  public String target() {
    return target;
  }

  /** The HTTP/2 connections (channels) this client spreads its calls over. */
  public int channelCount() {
    return connections;
  }

  private Channel channel() {
    return channels.length == 1 ? channels[0] : channels[Math.floorMod(next.getAndIncrement(), channels.length)];
  }

  private <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, Deadline deadline, Metadata headers) {
    ClientCall<Q, R> call = channel().newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
    if (!headers.keys().isEmpty()) {
      call = new HeaderAttachingCall<>(call, headers);
    }
    return bridgeCancellation ? new ContextCancelledCall<>(call, Context.current()) : call;
  }

  /** ModelInfer: forwards {@code request} and reports the response or the status to {@code observer}. */
  public void infer(ModelInferRequest request, Deadline deadline, Metadata headers,
      StreamObserver<ModelInferResponse> observer) {
    ClientCalls.asyncUnaryCall(newCall(GRPCInferenceServiceGrpc.getModelInferMethod(), deadline, headers),
        request, observer);
  }

  /**
   * ModelStreamInfer with one request on the stream: opens a stream, sends {@code request},
   * half-closes and completes with the first response (Triton answers errors in-band as {@code
   * error_message}).
   */
  public ListenableFuture<ModelStreamInferResponse> streamInfer(ModelInferRequest request, Deadline deadline,
      Metadata headers) {
    SettableFuture<ModelStreamInferResponse> result = SettableFuture.create();
    StreamObserver<ModelInferRequest> requests = ClientCalls.asyncBidiStreamingCall(
        newCall(GRPCInferenceServiceGrpc.getModelStreamInferMethod(), deadline, headers),
        new StreamObserver<>() {
          @Override
          public void onNext(ModelStreamInferResponse value) {
            result.set(value);
          }

          @Override
          public void onError(Throwable error) {
            result.setException(error);
          }

          @Override
          public void onCompleted() {
            result.setException(Status.INTERNAL
                .withDescription("ModelStreamInfer: stream closed with no response (expected: one response)")
                .asRuntimeException());
          }
        });
    requests.onNext(request);
    requests.onCompleted();
    return result;
  }

  public ListenableFuture<ServerReadyResponse> serverReady(Deadline deadline) {
    return ClientCalls.futureUnaryCall(
        newCall(GRPCInferenceServiceGrpc.getServerReadyMethod(), deadline, PropagatedHeaders.none()),
        ServerReadyRequest.getDefaultInstance());
  }

  public ListenableFuture<ModelReadyResponse> modelReady(ModelReadyRequest request, Deadline deadline,
      Metadata headers) {
    return unary(GRPCInferenceServiceGrpc.getModelReadyMethod(), request, deadline, headers);
  }

  public ListenableFuture<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request, Deadline deadline,
      Metadata headers) {
    return unary(GRPCInferenceServiceGrpc.getModelMetadataMethod(), request, deadline, headers);
  }

  /** Any unary RPC of the service (ModelConfig, ModelStatistics, ...) with the propagated headers. */
  public <Q, R> ListenableFuture<R> unary(MethodDescriptor<Q, R> method, Q request, Deadline deadline,
      Metadata headers) {
    return ClientCalls.futureUnaryCall(newCall(method, deadline, headers), request);
  }

  /** Closes the channels; calls in flight are cancelled after {@code graceMillis}. */
  public void close(long graceMillis) {
    closer.accept(graceMillis);
  }

  private static void closeAll(ManagedChannel[] channels, long graceMillis) {
    for (ManagedChannel channel : channels) {
      channel.shutdown();
    }
    try {
      for (ManagedChannel channel : channels) {
        if (!channel.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
          channel.shutdownNow();
        }
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
    }
  }

  @Override
  public void close() {
    close(1000);
  }

  @Override
  public String toString() {
    return "KServeEndpointClient[" + target + ", channels " + connections + "]";
  }

  /**
   * Cancels the call when the Context it was started in is cancelled (the caller went away or ran
   * out of time), as grpc-java's own channels do; stops watching once the call closes.
   */
  private static final class ContextCancelledCall<Q, R>
      extends io.grpc.ForwardingClientCall.SimpleForwardingClientCall<Q, R> implements Context.CancellationListener {
    private final Context context;

    ContextCancelledCall(ClientCall<Q, R> delegate, Context context) {
      super(delegate);
      this.context = context;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      super.start(new SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onClose(Status status, Metadata trailers) {
          context.removeListener(ContextCancelledCall.this);
          super.onClose(status, trailers);
        }
      }, headers);
      context.addListener(this, MoreExecutors.directExecutor()); // runs at once when already cancelled
    }

    @Override
    public void cancelled(Context cancelled) {
      Throwable cause = cancelled.cancellationCause();
      delegate().cancel("the caller's call ended (" + (cause == null ? "cancelled" : cause) + ")", cause);
    }
  }

  /** Merges the propagated headers into the call's own when it starts. */
  private static final class HeaderAttachingCall<Q, R>
      extends io.grpc.ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    private final Metadata extra;

    HeaderAttachingCall(ClientCall<Q, R> delegate, Metadata extra) {
      super(delegate);
      this.extra = extra;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      headers.merge(extra);
      super.start(listener, headers);
    }
  }
}
