package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.ListenableFuture;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelRepositoryParameter;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadResponse;
import dev.yardmaster.router.testsupport.LocalHttp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's {@code qa/L0_model_update} ({@code instance_update_test.py} and {@code test.py}) on
 * ONNX Runtime over real gRPC and HTTP: a reload that changes only {@code instance_group} adds or
 * removes instances without reopening the model, failing no request and waiting for none; other
 * changes reopen it. Triton's python model counts its instances' initialize and finalize calls;
 * here a model's instances are the executions it runs at once (held at {@link GatedRunners}'
 * gate, the next request then queued), and a reload that reopens the model is a runner opened
 * and, once the old version drained, one closed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0ModelUpdateTest extends GatedInstancesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // instance_update_test.py test_add_rm_add_instance_no_batching
  @Test
  void test_add_rm_add_instance_no_batching() throws Exception {
    updateWhileInferring(false, 3, +1, -1, +1);
  }

  // instance_update_test.py test_add_rm_add_instance_with_batching
  @Test
  void test_add_rm_add_instance_with_batching() throws Exception {
    updateWhileInferring(true, 4, +1, -1, +1);
  }

  // instance_update_test.py test_rm_add_rm_instance_no_batching
  @Test
  void test_rm_add_rm_instance_no_batching() throws Exception {
    updateWhileInferring(false, 2, -1, +1, -1);
  }

  // instance_update_test.py test_rm_add_rm_instance_with_batching
  @Test
  void test_rm_add_rm_instance_with_batching() throws Exception {
    updateWhileInferring(true, 3, -1, +1, -1);
  }

  // instance_update_test.py test_rm_instance_to_zero: Triton's python model gets 1 instance for a
  // count of 0; the onnxruntime backend's default on the CPU is 2 (SetDefaultInstanceCount), so
  // here 1 -> 0 adds one.
  @Test
  void test_rm_instance_to_zero() throws Exception {
    loadCounts(false, 1);
    assertInstances(1);
    loadCounts(false, 0);
    assertThat(config().getInstanceGroup(0).getCount()).isEqualTo(2);
    assertInstances(2);
    assertNotReopened();
    unloadModel();
  }

  // instance_update_test.py test_cpu_instance_update: remove 4, remove 3, no change, add 2, add 5
  @Test
  void test_cpu_instance_update() throws Exception {
    for (int count : new int[] {8, 4, 1, 1, 3, 8}) {
      loadCounts(false, count);
      assertInstances(count);
    }
    assertNotReopened();
    unloadModel();
  }

  // instance_update_test.py test_instance_name_update, CPU groups only (no GPU here): renaming
  // the groups adds and removes no instance.
  @Test
  void test_instance_name_update() throws Exception {
    writeConfig("{ name: \"old_1\" count: 1 kind: KIND_CPU }, { name: \"old_2\" count: 2 kind: KIND_CPU }", false);
    load();
    writeConfig("{ name: \"new_1\" count: 1 kind: KIND_CPU }, { name: \"new_2\" count: 2 kind: KIND_CPU }", false);
    load();
    assertThat(config().getInstanceGroupList()).extracting(group -> group.getName()).containsExactly("new_1", "new_2");
    assertInstances(3);
    assertNotReopened();
    unloadModel();
  }

  // instance_update_test.py test_instance_signature, CPU groups only: 3 instances as one group,
  // as groups of 1 and 2, and as three groups of 1 are the same instances.
  @Test
  void test_instance_signature() throws Exception {
    for (String groups : new String[] {"{ name: \"CPU_group\" count: 3 kind: KIND_CPU }",
        "{ name: \"CPU_1\" count: 1 kind: KIND_CPU }, { name: \"CPU_2_3\" count: 2 kind: KIND_CPU }",
        "{ name: \"CPU_1\" count: 1 kind: KIND_CPU }, { name: \"CPU_2\" count: 1 kind: KIND_CPU }, "
            + "{ name: \"CPU_3\" count: 1 kind: KIND_CPU }"}) {
      writeConfig(groups, false);
      load();
      assertInstances(3);
    }
    assertNotReopened();
    unloadModel();
  }

  // instance_update_test.py test_invalid_config: a config that does not parse fails the load and
  // the model keeps serving its 8 instances; the corrected config then removes 4.
  @Test
  void test_invalid_config() throws Exception {
    loadCounts(false, 8);
    writeConfig("--- invalid config ---", false);
    StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class, this::load);
    assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(invalid.getStatus().getDescription()).contains(MODEL).contains("config.pbtxt");
    assertInstances(8);
    loadCounts(false, 4);
    assertInstances(4);
    assertNotReopened();
    unloadModel();
  }

  // instance_update_test.py test_model_file_update: a changed model file reloads the model (5
  // instances finalized, 6 initialized), whatever the instance change beside it.
  @Test
  void test_model_file_update() throws Exception {
    loadCounts(false, 5);
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), modelFile());
    loadCounts(false, 6);
    assertThat(runners.opened).hasValue(2);
    await("the replaced version closed", () -> runners.closed.get() == 1);
    assertInstances(6);
    unloadModel();
  }

  // instance_update_test.py test_non_instance_config_update: dynamic batching turned on with the
  // count changed reloads the model.
  @Test
  void test_non_instance_config_update() throws Exception {
    loadCounts(false, 4);
    loadCounts(true, 2);
    assertThat(runners.opened).hasValue(2);
    await("the replaced version closed", () -> runners.closed.get() == 1);
    assertThat(config().hasDynamicBatching()).isTrue();
    assertInstances(2);
    unloadModel();
  }

  // instance_update_test.py test_load_api_with_config: the config read over HTTP, its count + 1,
  // loaded through gRPC's config parameter adds an instance.
  @Test
  void test_load_api_with_config() throws Exception {
    loadCounts(false, 1);
    HttpResponse<String> read = new LocalHttp(server.httpPort()).get("/v2/models/" + MODEL + "/config");
    assertThat(read.statusCode()).isEqualTo(200);
    ObjectNode config = (ObjectNode) JSON.readTree(read.body());
    ObjectNode group = (ObjectNode) config.get("instance_group").get(0);
    assertThat(group.get("count").asInt()).isEqualTo(1);
    group.put("count", 2);

    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL)
        .putParameters("config", ModelRepositoryParameter.newBuilder()
            .setStringParam(JSON.writeValueAsString(config)).build()).build());

    assertInstances(2);
    assertNotReopened();
    unloadModel();
  }

  // instance_update_test.py test_update_while_inferencing: adding an instance while the one
  // instance executes returns without waiting for it, and the new instance serves at once.
  @Test
  void test_update_while_inferencing() throws Exception {
    loadCounts(false, 1);
    int before = runners.started.get();
    runners.close();
    ListenableFuture<ModelInferResponse> held = async.modelInfer(request("held"));
    await("the instance busy", () -> runners.started.get() == before + 1);

    writeConfig(cpu(2), false);
    async.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL).build())
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(held.isDone()).as("the held request while the update returned").isFalse();
    ListenableFuture<ModelInferResponse> added = async.modelInfer(request("added"));
    await("the added instance executing", () -> runners.started.get() == before + 2);
    runners.open();

    assertThat(held.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getId()).isEqualTo("held");
    assertThat(added.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getId()).isEqualTo("added");
    assertNotReopened();
    assertInstances(2);
    unloadModel();
  }

  // instance_update_test.py test_infer_while_updating: requests are answered by the serving
  // instances while the update's new instances are still being created. An instance change alone
  // creates nothing here (one session serves every instance), so the slow creation is a reload's
  // new session, held at the runner factory.
  @Test
  void test_infer_while_updating() throws Exception {
    loadCounts(false, 1);
    runners.closeLoads();
    int opening = runners.opening.get();
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), modelFile());
    writeConfig(cpu(2), false);
    ListenableFuture<RepositoryModelLoadResponse> update =
        async.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL).build());
    await("the update creating its session", () -> runners.opening.get() == opening + 1);

    assertThat(infer("during the update").getId()).isEqualTo("during the update");
    assertThat(update.isDone()).as("the update while its session is held").isFalse();
    runners.openLoads();
    update.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(runners.opened).hasValue(2);
    assertInstances(2);
    unloadModel();
  }

  // test.py test_instance_update: 3 instances, then 2; the model is not reloaded, so its
  // statistics carry on.
  @Test
  void test_instance_update() throws Exception {
    loadCounts(false, 3);
    infer("before");
    loadCounts(false, 2);
    infer("after");
    assertNotReopened();
    assertThat(stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName(MODEL).build()).getModelStats(0)
        .getInferenceCount()).isEqualTo(2);
    assertInstances(2);
  }

  // Triton's ConfigChangeRequiresReload (model_config_utils.cc) ignores version_policy as well:
  // latest -> all over HTTP opens version 1 and keeps version 2 serving, its statistics with it.
  @Test
  void versionPolicyChangeKeepsTheServingVersion() throws Exception {
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), repository.resolve(MODEL).resolve("2")
        .resolve("model.onnx"));
    loadCounts(false, 1);
    assertThat(infer("on 2").getModelVersion()).isEqualTo("2");
    Path config = repository.resolve(MODEL).resolve("config.pbtxt");
    Files.writeString(config, Files.readString(config) + "version_policy { all { } }\n");

    HttpResponse<String> load = new LocalHttp(server.httpPort()).post("/v2/repository/models/" + MODEL + "/load", "");
    assertThat(load.statusCode()).isEqualTo(200);

    assertThat(runners.opened).as("version 2 kept, version 1 opened").hasValue(2);
    assertThat(runners.closed).hasValue(0);
    assertThat(stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName(MODEL).setVersion("2").build())
        .getModelStats(0).getInferenceCount()).isEqualTo(1);
    assertThat(stub.modelInfer(request("on 1").toBuilder().setModelVersion("1").build()).getModelVersion())
        .isEqualTo("1");
    unloadModel();
  }

  /**
   * instance_update_test.py's add/remove tests: 4 clients infer in a loop while each change of
   * the count is loaded; none of their requests may fail, and the model is never reopened.
   */
  private void updateWhileInferring(boolean batching, int count, int... changes) throws Exception {
    loadCounts(batching, count);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    try {
      for (int client = 0; client < 4; client++) {
        loops.add(clients.submit(() -> {
          while (!stop.get() && failures.isEmpty()) {
            try {
              stub.withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS).modelInfer(request("loop"));
              answered.incrementAndGet();
            } catch (StatusRuntimeException e) {
              failures.add(e.getStatus().toString());
            }
          }
        }));
      }
      for (int change : changes) {
        count += change;
        int answeredBefore = answered.get();
        loadCounts(batching, count);
        await("requests answered after the update", () -> answered.get() > answeredBefore + 8 || !failures.isEmpty());
      }
    } finally {
      stop.set(true);
      for (Future<?> loop : loops) {
        loop.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      clients.shutdown();
    }
    assertThat(failures).isEmpty();
    assertInstances(count);
    assertNotReopened();
    unloadModel();
  }
}
