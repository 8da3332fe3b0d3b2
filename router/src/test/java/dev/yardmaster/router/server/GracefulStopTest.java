package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulStopTest {

  @Test
  void stopWaitsForInFlightRequestsThenClosesTheManager() throws Exception {
    FakeModelManager manager = FakeModelManager.standard();
    YardmasterServer server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      FakeModel slow = manager.model("slow", "1");
      CompletableFuture<Void> gate = slow.closeGate();
      ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("slow").setId("in-flight")
          .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("UINT8").addShape(1))
          .addRawInputContents(ByteString.copyFrom(new byte[] {9}))
          .build();
      ListenableFuture<ModelInferResponse> grpcCall = GRPCInferenceServiceGrpc.newFutureStub(channel).modelInfer(request);
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> httpCall = client.sendAsync(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/slow/infer"))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"id\":\"h\",\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[5]}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      awaitTrue(() -> slow.inFlightRequests() == 2);

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
      awaitTrue(() -> !server.accepting());
      assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(channel).modelInfer(request))
          .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(error.getStatus().getDescription()).contains("server: stopping");
          });
      HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(400);
      assertThat(stopping).isNotDone();
      assertThat(manager.closed).isFalse();

      gate.complete(null);

      ModelInferResponse grpcResponse = grpcCall.get(10, TimeUnit.SECONDS);
      assertThat(grpcResponse.getId()).isEqualTo("in-flight");
      assertThat(grpcResponse.getRawOutputContents(0).byteAt(0)).isEqualTo((byte) 9);
      HttpResponse<String> httpResponse = httpCall.get(10, TimeUnit.SECONDS);
      assertThat(httpResponse.statusCode()).isEqualTo(200);
      assertThat(httpResponse.body()).contains("\"data\":[5]");
      stopping.get(10, TimeUnit.SECONDS);
      assertThat(manager.closed).isTrue();
    } finally {
      channel.shutdownNow();
      server.stop();
    }
  }

  @Test
  void stopEndsOpenStreamsAfterAnsweringThem() throws Exception {
    FakeModelManager manager = FakeModelManager.standard();
    YardmasterServer server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      StreamCollector stream = new StreamCollector();
      List<ModelStreamInferResponse> answers = stream.answers();
      CompletableFuture<Void> ended = stream.ended();
      StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(stream);
      requests.onNext(GrpcInferenceServiceTest.addSub("open", 1, 2));
      awaitTrue(() -> answers.size() == 1);

      long startNanos = System.nanoTime();
      server.stop();

      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos)).isLessThan(8);
      assertThatThrownBy(() -> ended.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("UNAVAILABLE");
      assertThat(answers.get(0).getInferResponse().getId()).isEqualTo("open");
    } finally {
      channel.shutdownNow();
      server.stop();
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }
}
