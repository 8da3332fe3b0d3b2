package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.front.pass.InferFrame;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import dev.yardmaster.router.testsupport.ReadyInferenceService;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ModelInfer through the router's pass-through path, against a backend that records the request
 * bytes it receives: the endpoint gets the caller's bytes (with only the tier's priority entry
 * appended), the answer carries the call's facts, a caller's cancellation reaches the endpoint, and
 * calls the path does not take (gzip-compressed ModelInfer, ModelStreamInfer) still work through
 * the general gRPC service, which re-encodes the message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PassThroughModelInferTest {

  private static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TIER = Metadata.Key.of("x-yardmaster-tier", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> VERSION =
      Metadata.Key.of("x-yardmaster-model-version", Metadata.ASCII_STRING_MARSHALLER);

  private final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RequestHeaders> receivedHeaders = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Throwable> backendCancelled = new CompletableFuture<>();
  private volatile boolean hang;
  private volatile boolean garbage;
  private Server backend;
  private RouterServer router;
  private ManagedChannel channel;
  private Pool pool;

  @BeforeEach
  void start() throws Exception {
    DecoratingHttpServiceFunction recording = this::record;
    backend = Server.builder().http(0)
        .service(GrpcService.builder().addService(new Backend()).build(), service -> service.decorate(recording))
        .build();
    backend.start().join();
    router = PoolTestSupport.startRouter(PoolTestSupport.pool("cpu",
        List.of("127.0.0.1:" + backend.activeLocalPort())));
    channel = PoolTestSupport.channel(router.grpcPort());
    pool = router.pools().get("cpu");
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    router.stop();
    backend.stop().join();
  }

  private HttpResponse record(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
    if (!req.path().endsWith("/ModelInfer") && !req.path().endsWith("/ModelStreamInfer")) {
      return serve(delegate, ctx, req);
    }
    ctx.whenRequestCancelling().thenAccept(backendCancelled::complete);
    receivedHeaders.add(req.headers());
    return HttpResponse.of(req.aggregate().thenApply((AggregatedHttpRequest whole) -> {
      received.add(whole.content().array());
      HttpRequest again = whole.toHttpRequest();
      ctx.updateRequest(again);
      return serve(delegate, ctx, again);
    }));
  }

  private static HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
    try {
      return delegate.serve(ctx, req);
    } catch (Exception e) {
      return HttpResponse.ofFailure(e);
    }
  }

  @Test
  void theEndpointGetsTheCallersBytesWhenTheClientSetAPriority() {
    ModelInferRequest request = PoolTestSupport.higgsRequest(3).toBuilder()
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(1).build()).build();
    PoolTestSupport.blocking(channel).modelInfer(request);
    assertThat(received).hasSize(1);
    assertThat(received.peek()).as("byte for byte the caller's frame").isEqualTo(GrpcFrame.of(request.toByteArray()));
  }

  @Test
  void theEndpointGetsTheCallersTierAndTraceHeadersAndNoOthers() {
    Metadata caller = new Metadata();
    caller.put(Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER), "silver");
    caller.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    caller.put(Metadata.Key.of("x-unrelated", Metadata.ASCII_STRING_MARSHALLER), "kept-here");
    PoolTestSupport.blocking(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(caller))
        .modelInfer(PoolTestSupport.higgsRequest(5));
    RequestHeaders sent = receivedHeaders.peek();
    assertThat(sent.get("x-sla-tier")).isEqualTo("silver");
    assertThat(sent.get("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(sent.contains("x-unrelated")).as("only the propagated names go on").isFalse();
    assertThat(sent.get("grpc-timeout")).as("the try's remaining time").isNotNull();
  }

  @Test
  void theEndpointGetsTheCallersBytesThenTheTiersPriority() throws Exception {
    ModelInferRequest request = PoolTestSupport.higgsRequest(4);
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    ModelInferResponse answer = PoolTestSupport.blocking(channel)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)).modelInfer(request);
    byte[] caller = request.toByteArray();
    byte[] sent = received.peek();
    assertThat(Arrays.copyOfRange(sent, 5, 5 + caller.length)).as("the caller's message, untouched").isEqualTo(caller);
    assertThat(ModelInferRequest.parseFrom(Arrays.copyOfRange(sent, 5, sent.length))).isEqualTo(request.toBuilder()
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(3).build()).build()); // bronze
    assertThat(answer.getModelVersion()).isEqualTo("1");
    assertThat(headers.get().get(POOL)).isEqualTo("cpu");
    assertThat(headers.get().get(TIER)).isEqualTo("bronze");
    assertThat(headers.get().get(VERSION)).isEqualTo("1");
    PoolTestSupport.await("the try ended", Duration.ofSeconds(3), () -> pool.inFlight() == 0);
  }

  @Test
  void gzipModelInferTakesTheGeneralPath() throws Exception {
    ModelInferRequest request = PoolTestSupport.higgsRequest(5);
    ModelInferResponse answer = PoolTestSupport.blocking(channel).withCompression("gzip").modelInfer(request);
    assertThat(answer.getModelName()).isEqualTo(request.getModelName());
    byte[] sent = received.peek();
    ModelInferRequest forwarded = ModelInferRequest.parseFrom(Arrays.copyOfRange(sent, 5, sent.length));
    assertThat(forwarded.getParametersMap()).containsKey("priority");
    assertThat(Arrays.copyOfRange(sent, 5, 5 + request.toByteArray().length))
        .as("re-encoded by the general path: parameters before inputs").isNotEqualTo(request.toByteArray());
  }

  @Test
  void modelStreamInferTakesTheGeneralPath() throws Exception {
    CompletableFuture<ModelStreamInferResponse> first = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
        .modelStreamInfer(new StreamObserver<>() {
          @Override
          public void onNext(ModelStreamInferResponse value) {
            first.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            first.completeExceptionally(t);
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    requests.onNext(PoolTestSupport.higgsRequest(6));
    ModelStreamInferResponse response = first.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    done.get(10, TimeUnit.SECONDS);
    assertThat(response.getErrorMessage()).isEmpty();
    assertThat(response.getInferResponse().getModelVersion()).isEqualTo("1");
  }

  @Test
  void aCallersCancellationCancelsTheEndpointsTry() throws Exception {
    hang = true;
    var call = GRPCInferenceServiceGrpc.newFutureStub(channel).modelInfer(PoolTestSupport.higgsRequest(7));
    PoolTestSupport.await("the endpoint got the request", Duration.ofSeconds(5), () -> received.size() == 1);
    assertThat(pool.inFlight()).isEqualTo(1);
    call.cancel(true);
    backendCancelled.get(5, TimeUnit.SECONDS);
    PoolTestSupport.await("the try ended", Duration.ofSeconds(3), () -> pool.inFlight() == 0);
  }

  @Test
  void anEndpointAnsweringGarbageIsInternalNamingTheProblem() {
    garbage = true;
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
        () -> PoolTestSupport.blocking(channel).modelInfer(PoolTestSupport.higgsRequest(8)));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failure.getStatus().getDescription()).contains("sent a malformed response")
        .contains("raw_output_contents: 3 bytes");
    assertThat(failure.getTrailers().get(POOL)).isEqualTo("cpu");
  }

  @Test
  void aBadTierIsInvalidArgumentAsOnTheGeneralPath() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER), "platinum");
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
        () -> PoolTestSupport.blocking(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .modelInfer(PoolTestSupport.higgsRequest(9)));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure.getStatus().getDescription()).contains("x-sla-tier").contains("platinum");
    assertThat(received).isEmpty();
  }

  /** Answers ModelInfer like FakeBackend (model version 1), or never when {@code hang}. */
  private final class Backend extends ReadyInferenceService {
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
      if (!hang) {
        out.onNext(answer(request));
        out.onCompleted();
      }
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ModelInferRequest request) {
          out.onNext(ModelStreamInferResponse.newBuilder().setInferResponse(answer(request)).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }

    private ModelInferResponse answer(ModelInferRequest request) {
      return FakeBackend.answer(request).toBuilder().setModelVersion("1")
          .setRawOutputContents(0, ByteString.copyFrom(new byte[garbage ? 3 : 4])).build();
    }


  }
}
