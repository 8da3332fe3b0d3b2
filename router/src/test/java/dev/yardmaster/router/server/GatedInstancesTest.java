package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository server, one per test, serving the add_sub model as {@link #MODEL} through {@link
 * GatedRunners}, for the ports of Triton's instance tests: a model's instances are the executions
 * it runs at once (held at the runners' gate, the next request then queued), and a reload that
 * reopens the model is a runner opened and, once the old version drained, one closed.
 */
abstract class GatedInstancesTest {

  static final String MODEL = "model_init_del";
  static final Duration WAIT = GatedRunners.WAIT;

  @TempDir Path repository;
  final GatedRunners runners = new GatedRunners();
  RepositoryModelManager manager;
  YardmasterServer server;
  ManagedChannel channel;
  GRPCInferenceServiceBlockingStub stub;
  GRPCInferenceServiceFutureStub async;

  @BeforeEach
  void serve() throws Exception {
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), modelFile());
    manager = new RepositoryModelManager(repository, runners, Schedulers.factory(), RepositoryOptions.loadNone());
    server = RepositoryServers.start(manager);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    async = GRPCInferenceServiceGrpc.newFutureStub(channel);
  }

  @AfterEach
  void stop() {
    runners.release(channel, server);
  }

  /**
   * Asserts the model runs {@code count} executions at once: with the gate closed, {@code count}
   * requests sent one after another each start executing, and one more waits in the queue.
   */
  void assertInstances(int count) throws Exception {
    int before = runners.started.get();
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    runners.close();
    try {
      for (int i = 1; i <= count; i++) {
        calls.add(async.modelInfer(request("instance-" + i)));
        int started = before + i;
        await(started - before + " executions at once", () -> runners.started.get() == started);
      }
      calls.add(async.modelInfer(request("queued")));
      await("the request past the instances queued", () -> manager.resolve(MODEL, "").queuedRequests() == 1);
      assertThat(runners.started.get() - before).as("executions at once").isEqualTo(count);
    } finally {
      runners.open();
    }
    for (ListenableFuture<ModelInferResponse> call : calls) {
      assertThat(call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getModelName()).isEqualTo(MODEL);
    }
  }

  void assertNotReopened() {
    assertThat(runners.opened).as("runners opened").hasValue(1);
    assertThat(runners.closed).as("runners closed").hasValue(0);
  }

  /** instance_update_test.py _unload_model: every instance finalized, and requests fail. */
  void unloadModel() {
    stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build());
    assertThat(runners.closed.get()).isEqualTo(runners.opened.get());
    StatusRuntimeException unloaded = catchThrowableOfType(StatusRuntimeException.class, () -> infer("unloaded"));
    assertThat(unloaded.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unloaded.getStatus().getDescription()).contains("has no available versions");
  }

  void loadCounts(boolean batching, int count) throws Exception {
    writeConfig(cpu(count), batching);
    load();
  }

  void load() {
    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL).build());
  }

  ModelInferResponse infer(String id) {
    return stub.withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS).modelInfer(request(id));
  }

  ModelConfig config() {
    return stub.modelConfig(ModelConfigRequest.newBuilder().setName(MODEL).build()).getConfig();
  }

  static ModelInferRequest request(String id) {
    return TritonRequests.addSubRow().setModelName(MODEL).setId(id).build();
  }

  static String cpu(int count) {
    return "{ count: " + count + " kind: KIND_CPU }";
  }

  /** instance_update_test.py's update_instance_group and enable_batching, on the add_sub model. */
  void writeConfig(String instanceGroups, boolean batching) throws Exception {
    ModelConfig.Builder config = DemoModels.config(DemoModels.ADD_SUB, false).toBuilder().setName(MODEL)
        .clearInstanceGroup();
    if (batching) {
      config.setDynamicBatching(ModelDynamicBatching.newBuilder());
    }
    String text = TextFormat.printer().printToString(config.build()) + "instance_group [ " + instanceGroups + " ]\n";
    Files.writeString(repository.resolve(MODEL).resolve("config.pbtxt"), text, StandardCharsets.UTF_8);
  }

  Path modelFile() {
    return repository.resolve(MODEL).resolve("1").resolve("model.onnx");
  }
}
