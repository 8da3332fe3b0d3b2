package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelWarmup;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's {@code qa/L0_warmup} ({@code test.sh}) for ONNX models over real gRPC and HTTP: a
 * model's {@code model_warmup} runs on every instance before it is ready, with zero, random or
 * file data, at its batch size and {@code count} times; a failing warmup fails the load with its
 * reason. Triton greps its log for "is running warmup sample"; here {@link GatedRunners} sees the
 * executions (and their batch) that ran before the model was asked anything. The sequence model
 * samples are skipped (no sequence batching here); the stateful string sample's data file runs on
 * the stateless string model.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0WarmupTest {

  static final String FLOAT_MODEL = "onnx_float32_float32_float32";
  static final String STRING_MODEL = DemoModels.identityModelName(DataType.BYTES);
  static final String FAILING = "failing_infer";

  @TempDir Path repository;
  final GatedRunners runners = new GatedRunners();
  YardmasterServer server;
  ManagedChannel channel;
  GRPCInferenceServiceBlockingStub stub;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.stop();
    }
  }

  // test.sh "2 instances per device with random / zero data": 'regular sample', batch 1, INPUT0
  // zero and INPUT1 random, on each of 2 instances; the model then serves.
  @Test
  void regularSampleRunsOnEachInstanceWithZeroAndRandomData() throws Exception {
    writeFloatModel(2, ModelWarmup.newBuilder().setName("regular sample").setBatchSize(1)
        .putInputs("INPUT0", fp32(16).setZeroData(true).build())
        .putInputs("INPUT1", fp32(16).setRandomData(true).build()).build());
    start();

    assertThat(runners.batches).containsExactly(1L, 1L);
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(FLOAT_MODEL).build()).getReady()).isTrue();
    assertThat(stub.modelInfer(TritonRequests.addSubRow().setModelName(FLOAT_MODEL).setId("after").build()).getId())
        .isEqualTo("after");
  }

  // test.sh's 'sequence sample' (batch_size 8) with model_warmup's count, on the stateless model:
  // every instance runs the sample count times, each one execution of 8 samples.
  @Test
  void batchSizeAndCountRunEachInstanceCountExecutionsOfTheBatch() throws Exception {
    writeFloatModel(2, ModelWarmup.newBuilder().setName("batch sample").setBatchSize(8).setCount(3)
        .putInputs("INPUT0", fp32(16).setZeroData(true).build())
        .putInputs("INPUT1", fp32(16).setZeroData(true).build()).build());
    start();

    assertThat(runners.batches).containsExactlyElementsOf(Collections.nCopies(6, 8L));
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(FLOAT_MODEL).build()).getReady()).isTrue();
  }

  // test.sh "Test for variable-size data type (string)": 'zero string stateless' and 'random
  // string stateless' on the string model (no batching here: the samples' dims are its inputs).
  @Test
  void zeroAndRandomStringSamplesWarmTheStringModel() throws Exception {
    writeStringModel(ModelWarmup.newBuilder().setName("zero string stateless").setBatchSize(1)
            .putInputs("INPUT0", bytes(1, 16).setZeroData(true).build()).build(),
        ModelWarmup.newBuilder().setName("random string stateless").setBatchSize(1)
            .putInputs("INPUT0", bytes(1, 16).setRandomData(true).build()).build());
    start();

    assertThat(runners.batches).containsExactly(1L, 1L);
    assertStringModelServesOverHttp();
  }

  // test.sh's 'string statefull' data: warmup/raw_string_data holds one element "233" as
  // \x03\x00\x00\x00233, Triton's length-prefixed BYTES.
  @Test
  void stringDataFileWarmsTheStringModel() throws Exception {
    writeStringModel(ModelWarmup.newBuilder().setName("string statefull").setBatchSize(1)
        .putInputs("INPUT0", bytes(1, 1).setInputDataFile("raw_string_data").build()).build());
    Path data = Files.createDirectories(repository.resolve(STRING_MODEL).resolve("warmup")).resolve("raw_string_data");
    Files.write(data, new byte[] {3, 0, 0, 0, '2', '3', '3'});
    start();

    assertThat(runners.batches).containsExactly(1L);
    assertStringModelServesOverHttp();
  }

  // test.sh "Test warmup sample failure" (failing_infer: no batching, 'zero sample', batch 1, an
  // execution raising "An Error Occurred"): the model fails to load with the sample and the error
  // as its reason; Triton then exits, here the server stays up, not ready, and a load over gRPC
  // answers the same reason.
  @Test
  void failingWarmupSampleFailsTheLoadWithItsReason() throws Exception {
    writeFailingModel();
    runners.failWith = "An Error Occurred";
    start();

    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(FAILING).build()).getReady()).isFalse();
    ModelIndex row = stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList().stream()
        .filter(model -> model.getName().equals(FAILING)).findFirst().orElseThrow();
    assertThat(row.getState()).isEqualTo("UNAVAILABLE");
    assertThat(row.getReason()).contains("'zero sample'").contains("An Error Occurred");
    StatusRuntimeException load = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(FAILING).build()));
    assertThat(load.getStatus().getCode()).isNotEqualTo(Status.Code.OK);
    assertThat(load.getStatus().getDescription()).contains(FAILING).contains("'zero sample'")
        .contains("An Error Occurred");
  }

  // failing_infer's warmup when it succeeds: a model without batching runs the sample's dims as
  // given, once per instance, and then serves.
  @Test
  void nonBatchingModelWarmsUpWithTheSampleAsGiven() throws Exception {
    writeFailingModel();
    start();

    assertThat(runners.batches).containsExactly(1L, 1L);
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(FAILING).build()).getReady()).isTrue();
  }

  // Triton's TritonModelInstance::CreateInstance readies the warmup of each instance it creates,
  // those an instance_group update adds too (PrepareInstances), and never again for the
  // instances it keeps: 1 -> 3 instances warms two, 3 -> 2 none, and the model is not reopened.
  @Test
  void instanceUpdateWarmsOnlyTheAddedInstances() throws Exception {
    ModelWarmup sample = ModelWarmup.newBuilder().setName("regular sample").setBatchSize(1)
        .putInputs("INPUT0", fp32(16).setZeroData(true).build())
        .putInputs("INPUT1", fp32(16).setZeroData(true).build()).build();
    writeFloatModel(1, sample);
    start();
    assertThat(runners.started).hasValue(1);

    writeFloatModel(3, sample);
    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(FLOAT_MODEL).build());
    assertThat(runners.started).hasValue(3);
    writeFloatModel(2, sample);
    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(FLOAT_MODEL).build());
    assertThat(runners.started).hasValue(3);
    assertThat(runners.opened).hasValue(1);
  }

  // test.sh's warmup failure during an instance update: the added instance fails its warmup, the
  // load fails naming it, and the model keeps serving on the instances it had.
  @Test
  void failedWarmupOfAnAddedInstanceKeepsTheModelServing() throws Exception {
    ModelWarmup sample = ModelWarmup.newBuilder().setName("zero sample").setBatchSize(1)
        .putInputs("INPUT0", fp32(16).setZeroData(true).build())
        .putInputs("INPUT1", fp32(16).setZeroData(true).build()).build();
    writeFloatModel(1, sample);
    start();

    writeFloatModel(2, sample);
    runners.failWith = "An Error Occurred";
    StatusRuntimeException load = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(FLOAT_MODEL).build()));
    assertThat(load.getStatus().getDescription()).contains("'zero sample'").contains("An Error Occurred");
    runners.failWith = "";

    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(FLOAT_MODEL).build()).getReady()).isTrue();
    assertThat(stub.modelConfig(dev.yardmaster.protocol.v2.ModelConfigRequest.newBuilder().setName(FLOAT_MODEL)
        .build()).getConfig().getInstanceGroup(0).getCount()).isEqualTo(1);
    assertThat(stub.modelInfer(TritonRequests.addSubRow().setModelName(FLOAT_MODEL).setId("kept").build()).getId())
        .isEqualTo("kept");
  }

  private void start() {
    server = RepositoryServers.start(new RepositoryModelManager(repository, runners, Schedulers.factory(),
        RepositoryOptions.loadAllModels()));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private void assertStringModelServesOverHttp() throws Exception {
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,2],\"datatype\":\"BYTES\",\"data\":[\"2\",\"33\"]}]}";
    var answer = new LocalHttp(server.httpPort()).post("/v2/models/" + STRING_MODEL + "/infer", json);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("[\"2\",\"33\"]");
  }

  /** Triton's onnx_float32_float32_float32 (the add_sub model) with {@code count} CPU instances. */
  private void writeFloatModel(int count, ModelWarmup... warmups) throws Exception {
    ModelConfig config = DemoModels.config(DemoModels.ADD_SUB, false).toBuilder().setName(FLOAT_MODEL)
        .clearInstanceGroup().addInstanceGroup(cpu(count)).addAllModelWarmup(List.of(warmups)).build();
    write(FLOAT_MODEL, DemoModels.ADD_SUB, config);
  }

  private void writeStringModel(ModelWarmup... warmups) throws Exception {
    ModelConfig config = DemoModels.identityConfig(DataType.BYTES).toBuilder()
        .clearInstanceGroup().addInstanceGroup(cpu(1)).addAllModelWarmup(List.of(warmups)).build();
    write(STRING_MODEL, STRING_MODEL, config);
  }

  /** failing_infer's config on the FP32 identity model: no batching, 2 CPU instances, 'zero sample' of dims [1, 4]. */
  private void writeFailingModel() throws Exception {
    ModelConfig config = DemoModels.identityConfig(DataType.FP32).toBuilder().setName(FAILING)
        .clearInstanceGroup().addInstanceGroup(cpu(2))
        .addModelWarmup(ModelWarmup.newBuilder().setName("zero sample").setBatchSize(1)
            .putInputs("INPUT0", input(dev.yardmaster.protocol.v2.DataType.TYPE_FP32, 1, 4).setZeroData(true).build()))
        .build();
    write(FAILING, DemoModels.identityModelName(DataType.FP32), config);
  }

  private void write(String name, String graph, ModelConfig config) throws Exception {
    Path directory = repository.resolve(name);
    Path modelFile = directory.resolve("1").resolve("model.onnx");
    if (!Files.exists(modelFile)) {
      OnnxGraphBuilder.write(DemoModels.model(graph), modelFile);
    }
    Files.writeString(directory.resolve("config.pbtxt"), TextFormat.printer().printToString(config),
        StandardCharsets.UTF_8);
  }

  private static ModelInstanceGroup cpu(int count) {
    return ModelInstanceGroup.newBuilder().setCount(count).setKind(ModelInstanceGroup.Kind.KIND_CPU).build();
  }

  private static ModelWarmup.Input.Builder fp32(long... dims) {
    return input(dev.yardmaster.protocol.v2.DataType.TYPE_FP32, dims);
  }

  private static ModelWarmup.Input.Builder bytes(long... dims) {
    return input(dev.yardmaster.protocol.v2.DataType.TYPE_STRING, dims);
  }

  private static ModelWarmup.Input.Builder input(dev.yardmaster.protocol.v2.DataType type, long... dims) {
    ModelWarmup.Input.Builder input = ModelWarmup.Input.newBuilder().setDataType(type);
    for (long dim : dims) {
      input.addDims(dim);
    }
    return input;
  }
}
