package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.backend.batching.DynamicBatchScheduler;
import dev.yardmaster.backend.repository.LocalServedModel;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Gold before bronze end to end: a real dynamic batcher (three priority levels, one instance,
 * batches of one) whose only instance is held while bronze and then gold requests queue; once
 * released, gold runs first.
 */
class AdmissionPriorityTest {

  static final String MODEL = "held";

  /** Runs x -> y = x, recording the order of executions; the first execution waits for release. */
  static final class HeldRunner implements ModelRunner {
    final List<Float> executed = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      Tensor x = inputs.get("x");
      executed.add(x.toFloats()[0]);
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      return List.of(Tensor.ofFloats("y", x.shape(), x.toFloats()));
    }

    @Override
    public String kind() {
      return "held";
    }

    @Override
    public void close() {}
  }

  static ModelSpec spec() {
    ModelConfig config = ModelConfig.newBuilder().setName(MODEL).setPlatform("test").setMaxBatchSize(1)
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(1).setKind(ModelInstanceGroup.Kind.KIND_CPU))
        .setDynamicBatching(ModelDynamicBatching.newBuilder().setPriorityLevels(3).setDefaultPriorityLevel(3))
        .build();
    return new ModelSpec(MODEL, "1", "test", 1, List.of(new TensorSpec("x", DataType.FP32, new long[] {1})),
        List.of(new TensorSpec("y", DataType.FP32, new long[] {1})), config);
  }

  /** Serves the one model. */
  static ModelManager managerOf(LocalServedModel model) {
    return new ModelManager() {
      @Override public ServedModel resolve(String name, String version) {
        if (!name.equals(MODEL) || !(version.isEmpty() || version.equals("1"))) {
          throw InferenceException.notFound("model '%s' version '%s': unknown (expected: held 1)", name, version);
        }
        return model;
      }

      @Override public boolean isReady(String name, String version) {
        return name.equals(MODEL);
      }

      @Override public List<String> readyVersions(String name) {
        return name.equals(MODEL) ? List.of("1") : List.of();
      }

      @Override public List<ServedModel> readyModels() {
        return List.of(model);
      }

      @Override public List<ModelIndexEntry> index(boolean readyOnly) {
        return List.of(new ModelIndexEntry(MODEL, "1", ModelIndexEntry.READY, ""));
      }

      @Override public void load(String name) {}

      @Override public void unload(String name) {}

      @Override public void close() {
        model.close();
      }
    };
  }

  static ModelInferRequest request(float x) {
    return ModelInferRequest.newBuilder().setModelName(MODEL).setId(Float.toString(x))
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(1))
        .addRawInputContents(ByteString.copyFrom(FakeModel.floats(x)))
        .build();
  }

  @Test
  void goldOvertakesQueuedBronzeInTheBatcher() throws Exception {
    HeldRunner runner = new HeldRunner();
    ModelSpec spec = spec();
    ModelStats stats = new ModelStats();
    LocalServedModel model = new LocalServedModel(spec, runner, new DynamicBatchScheduler(spec, runner, stats), stats);
    try (YardmasterServer server = YardmasterServer.builder(managerOf(model)).httpPort(0).grpcPort(0).metricsPort(0)
        .drainTimeout(java.time.Duration.ofSeconds(5)).build().start()) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
      try {
        List<Future<ModelInferResponse>> answers = new ArrayList<>();
        answers.add(send(channel, "bronze", 0));
        assertThat(runner.entered.await(10, TimeUnit.SECONDS)).isTrue();
        answers.add(send(channel, "bronze", 1));
        answers.add(send(channel, "bronze", 2));
        answers.add(send(channel, "gold", 3));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (model.queuedRows() < 3 && System.nanoTime() < giveUp) {
          Thread.onSpinWait();
        }
        assertThat(model.queuedRows()).isEqualTo(3);

        runner.release.countDown();
        for (Future<ModelInferResponse> answer : answers) {
          answer.get(10, TimeUnit.SECONDS);
        }

        assertThat(runner.executed).containsExactly(0f, 3f, 1f, 2f);
      } finally {
        runner.release.countDown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  static Future<ModelInferResponse> send(ManagedChannel channel, String tier, float x) {
    io.grpc.Metadata metadata = new io.grpc.Metadata();
    metadata.put(io.grpc.Metadata.Key.of("x-sla-tier", io.grpc.Metadata.ASCII_STRING_MARSHALLER), tier);
    return GRPCInferenceServiceGrpc.newFutureStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .modelInfer(request(x));
  }
}
