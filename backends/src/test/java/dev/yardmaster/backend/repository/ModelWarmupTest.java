package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RecordingRunnerFactory.Execution;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over ONNX Runtime: Triton's {@code model_warmup} runs each setting on each instance of a version,
 * {@code count} times, before the version serves: zeros, random values and the raw data of files
 * under {@code <model>/warmup/}, batched by {@code batch_size} or, for a model that does not batch,
 * as given. The config the ModelConfig RPC returns keeps the settings.
 */
class ModelWarmupTest {

  /** add_sub as model {@code m}: two FP32 [16] inputs, batches up to 8, two instances. */
  static final String ADD_SUB_CONFIG = """
      name: "m"
      platform: "onnxruntime_onnx"
      max_batch_size: 8
      input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ 16 ] }, { name: "INPUT1" data_type: TYPE_FP32 dims: [ 16 ] } ]
      output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ 16 ] }, { name: "OUTPUT1" data_type: TYPE_FP32 dims: [ 16 ] } ]
      instance_group [ { count: 2 kind: KIND_CPU } ]
      """;

  private static final String THREE_WARMUPS = """
      model_warmup [
        { name: "zeros" batch_size: 4
          inputs { key: "INPUT0" value { data_type: TYPE_FP32 dims: [ 16 ] zero_data: true } }
          inputs { key: "INPUT1" value { data_type: TYPE_FP32 dims: [ 16 ] zero_data: true } } },
        { name: "random" batch_size: 1 count: 2
          inputs { key: "INPUT0" value { data_type: TYPE_FP32 dims: [ 16 ] random_data: true } }
          inputs { key: "INPUT1" value { data_type: TYPE_FP32 dims: [ 16 ] random_data: true } } },
        { name: "file" batch_size: 8
          inputs { key: "INPUT0" value { data_type: TYPE_FP32 dims: [ 16 ] input_data_file: "ones.bin" } }
          inputs { key: "INPUT1" value { data_type: TYPE_FP32 dims: [ 16 ] zero_data: true } } }
      ]
      """;

  @TempDir Path repository;
  private final RecordingRunnerFactory runners = new RecordingRunnerFactory(OrtRunnerFactory.withDefaults());
  @AutoClose private RepositoryModelManager manager;

  @Test
  void zeroRandomAndFileWarmupsRunOnEachInstanceBeforeTheVersionServes() throws Exception {
    writeAddSub(repository, "m", ADD_SUB_CONFIG + THREE_WARMUPS);
    writeWarmupFile(repository, "m", "ones.bin", floats(16, 1f));

    manager = start();

    List<Execution> warmups = runners.of("m");
    assertThat(warmups).as("zeros once, random twice, file once, on each of 2 instances").hasSize(8);
    assertThat(warmups).extracting(execution -> execution.shape("INPUT0")[0])
        .as("batch_size rows each").containsExactly(4L, 1L, 1L, 8L, 4L, 1L, 1L, 8L);
    assertThat(warmups.get(0).inputs().get("INPUT1").toFloats()).hasSize(64).containsOnly(0f);
    List<Float> random = asList(warmups.get(1).inputs().get("INPUT0").toFloats());
    assertThat(random).hasSize(16).allMatch(value -> value >= 0f && value < 1f);
    assertThat(new java.util.HashSet<>(random)).as("random, not constant").hasSizeGreaterThan(1);
    Tensor fromFile = warmups.get(3).inputs().get("INPUT0");
    assertThat(fromFile.shape()).containsExactly(8, 16);
    assertThat(fromFile.toFloats()).as("the file's one sample, once per row").hasSize(128).containsOnly(1f);
    assertThat(manager.index(false)).containsExactly(new ModelIndexEntry("m", "1", ModelIndexEntry.READY, ""));

    assertThat(sumOfOnes(manager, "m")).isEqualTo("1");
    assertThat(runners.of("m")).as("the request's own execution").hasSize(9);
  }

  @Test
  void nonBatchingModelRunsItsInputsAsGivenAndBytesRandomDataIsEmptyElements() throws Exception {
    Path directory = repository.resolve("s");
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.identityModelName(DataType.BYTES)),
        directory.resolve("1").resolve("model.onnx"));
    Files.writeString(directory.resolve("config.pbtxt"), """
        name: "s"
        platform: "onnxruntime_onnx"
        max_batch_size: 0
        input [ { name: "INPUT0" data_type: TYPE_STRING dims: [ -1, -1 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_STRING dims: [ -1, -1 ] } ]
        instance_group [ { count: 1 kind: KIND_CPU } ]
        model_warmup [
          { name: "empty" inputs { key: "INPUT0" value { data_type: TYPE_STRING dims: [ 2, 3 ] random_data: true } } },
          { name: "words" batch_size: 1
            inputs { key: "INPUT0" value { data_type: TYPE_STRING dims: [ 1, 2 ] input_data_file: "text/two.bin" } } }
        ]
        """);
    ByteBuffer words = Tensor.bytesData(List.of("ab".getBytes(StandardCharsets.UTF_8),
        "cde".getBytes(StandardCharsets.UTF_8)));
    byte[] wordBytes = new byte[words.remaining()];
    words.get(wordBytes);
    writeWarmupFile(repository, "s", "text/two.bin", wordBytes);

    manager = start();

    List<Execution> warmups = runners.of("s");
    assertThat(warmups).hasSize(2);
    assertThat(warmups.get(0).shape("INPUT0")).as("dims as given, no batch dimension").containsExactly(2, 3);
    assertThat(bytes(warmups.get(0).inputs().get("INPUT0"))).as("six empty elements").isEqualTo(new byte[24]);
    assertThat(warmups.get(1).shape("INPUT0")).containsExactly(1, 2);
    assertThat(bytes(warmups.get(1).inputs().get("INPUT0"))).isEqualTo(wordBytes);
    assertThat(manager.isReady("s", "")).isTrue();
  }

  @Test
  void modelConfigKeepsTheWarmupSettingsAsGiven() throws Exception {
    writeAddSub(repository, "m", ADD_SUB_CONFIG + THREE_WARMUPS);
    writeWarmupFile(repository, "m", "ones.bin", floats(16, 1f));
    ModelConfig.Builder given = ModelConfig.newBuilder();
    TextFormat.merge(THREE_WARMUPS, given);

    manager = start();

    ModelConfig served = manager.resolve("m", "").spec().config();
    assertThat(served.getModelWarmupList()).isEqualTo(given.getModelWarmupList());
    assertThat(ModelConfig.parseFrom(served.toByteArray()).getModelWarmup(2).getInputsOrThrow("INPUT0")
        .getInputDataFile()).as("field numbers survive the wire").isEqualTo("ones.bin");
  }

  private RepositoryModelManager start() {
    return new RepositoryModelManager(repository, runners, Schedulers.factory(), RepositoryOptions.loadAllModels());
  }

  /** Writes the demo add_sub model as {@code name} version 1 with {@code config}. */
  static void writeAddSub(Path repository, String name, String config) throws Exception {
    Path directory = repository.resolve(name);
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), directory.resolve("1").resolve("model.onnx"));
    Files.writeString(directory.resolve("config.pbtxt"), config);
  }

  static void writeWarmupFile(Path repository, String model, String file, byte[] data) throws Exception {
    Path path = repository.resolve(model).resolve("warmup").resolve(file);
    Files.createDirectories(path.getParent());
    Files.write(path, data);
  }

  static byte[] floats(int count, float value) {
    ByteBuffer buffer = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  /** Adds ones to ones on model {@code name} and returns the version that answered. */
  static String sumOfOnes(RepositoryModelManager manager, String name) throws Exception {
    float[] ones = new float[DemoModels.ADD_SUB_WIDTH];
    Arrays.fill(ones, 1f);
    long[] shape = {1, DemoModels.ADD_SUB_WIDTH};
    InferResponse response = manager.resolve(name, "").infer(InferRequest.of(name, "", List.of(
        Tensor.ofFloats("INPUT0", shape, ones), Tensor.ofFloats("INPUT1", shape, ones))))
        .get(30, TimeUnit.SECONDS);
    Tensor sum = response.outputs().stream().filter(output -> output.name().equals("OUTPUT0")).findFirst()
        .orElseThrow();
    assertThat(sum.toFloats()).containsOnly(2f);
    return response.modelVersion();
  }

  private static byte[] bytes(Tensor tensor) {
    byte[] data = new byte[tensor.byteSize()];
    tensor.data().get(data);
    return data;
  }

  private static List<Float> asList(float[] values) {
    List<Float> list = new java.util.ArrayList<>();
    for (float value : values) {
      list.add(value);
    }
    return list;
  }
}
