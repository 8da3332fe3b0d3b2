package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A stream's answers go out before its completion. Answers completed off the event loop once
 * raced the half-close's completion on it, losing answers in about one stream of eight; the
 * repetitions make that race show.
 */
class AdmissionStreamCompletionTest {

  static YardmasterServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    server = YardmasterServer.builder(FakeModelManager.standard()).httpPort(0).grpcPort(0).metricsPort(0)
        .build().start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }

  @RepeatedTest(40)
  void everyAnswerArrivesBeforeTheStreamCompletes() throws Exception {
    List<ModelStreamInferResponse> answers = stream(channel,
        GrpcInferenceServiceTest.addSub("s1", 1, 1), GrpcInferenceServiceTest.addSub("s2", 2, 1));

    assertThat(answers).hasSize(2).allSatisfy(answer -> assertThat(answer.getErrorMessage()).isEmpty());
  }

  /** The answers of one ModelStreamInfer that sends {@code sent} and half-closes. */
  static List<ModelStreamInferResponse> stream(ManagedChannel channel, ModelInferRequest... sent) throws Exception {
    List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
        .modelStreamInfer(AdmissionGrpcTest.collect(answers, done));
    for (ModelInferRequest request : sent) {
      requests.onNext(request);
    }
    requests.onCompleted();
    done.get(20, TimeUnit.SECONDS);
    return answers;
  }
}
