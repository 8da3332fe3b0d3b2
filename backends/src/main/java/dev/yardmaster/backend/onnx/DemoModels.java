package dev.yardmaster.backend.onnx;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.batching.DynamicBatchScheduler;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelOutput;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The bundled demo and test models, generated with seeded weights so every build writes the same
 * bytes, in Triton's repository layout ({@code repo/<model>/config.pbtxt} and {@code
 * repo/<model>/1/model.onnx}).
 *
 * <ul>
 *   <li>{@code higgs_mlp_v1}: 28 -> 64 -> 32 -> 1, {@code higgs_mlp_v2}: 28 -> 128 -> 128 -> 64 ->
 *       1 (the canary pair), {@code wide_mlp}: 28 -> 2048 -> 2048 -> 1 (compute heavy, where
 *       batching pays); input {@code input} FP32 [-1, 28], output {@code output} FP32 [-1, 1].
 *   <li>{@code add_sub}: {@code OUTPUT0 = INPUT0 + INPUT1}, {@code OUTPUT1 = INPUT0 - INPUT1}, FP32
 *       [-1, 16], like Triton's {@code simple} example.
 *   <li>{@code identity_<type>}: {@code INPUT0} [-1, -1] -> {@code OUTPUT0} for each datatype the
 *       ONNX Runtime backend carries, to test the tensor conversions.
 *   <li>{@code add_with_initializer}: {@code OUTPUT = INPUT + INITIALIZER}, FP32 [5, 5], no batching;
 *       {@code INITIALIZER} is an initializer of ones that is also a graph input, so a request may
 *       override it or leave it out (an {@code optional} input), as Triton's {@code
 *       qa/L0_initializer_as_input} model.
 * </ul>
 */
public final class DemoModels {
  public static final String HIGGS_MLP_V1 = "higgs_mlp_v1";
  public static final String HIGGS_MLP_V2 = "higgs_mlp_v2";
  public static final String WIDE_MLP = "wide_mlp";
  public static final String ADD_SUB = "add_sub";
  public static final String ADD_WITH_INITIALIZER = "add_with_initializer";
  /** The dims of {@link #ADD_WITH_INITIALIZER}'s tensors. */
  public static final long[] ADD_WITH_INITIALIZER_DIMS = {5, 5};

  /** The models {@link #writeRepository} writes. */
  public static final List<String> DEMO_MODELS =
      List.of(HIGGS_MLP_V1, HIGGS_MLP_V2, WIDE_MLP, ADD_SUB);

  /** The datatypes with an identity model. */
  public static final List<DataType> IDENTITY_TYPES =
      List.of(
          DataType.BOOL,
          DataType.UINT8,
          DataType.INT8,
          DataType.INT32,
          DataType.INT64,
          DataType.FP16,
          DataType.FP32,
          DataType.FP64,
          DataType.BYTES);

  public static final int HIGGS_FEATURES = 28;
  public static final int ADD_SUB_WIDTH = 16;
  public static final int MAX_BATCH_SIZE = 64;

  /**
   * 0, Triton's default: a batch is formed as soon as an instance is free, from whatever is
   * queued. Under load every queued request has already waited a whole execution, so a delay adds
   * nothing to the batch size there; with a lone stream it is pure latency, since no second
   * request can arrive (yardmaster bench measured 500 us costing 0.3-0.4x at c=1).
   */
  public static final long MAX_QUEUE_DELAY_MICROS = 0;

  /**
   * The small models' inline limit: their batches of up to 64 rows take tens of microseconds,
   * about what handing them to an instance thread and back costs; 100 us of a borrowed event loop
   * is far below any latency budget. wide_mlp (milliseconds per batch) never runs inline.
   */
  public static final long INLINE_EXECUTION_MAX_MICROS = 100;

  private DemoModels() {}

  /** The weights of an MLP demo model, for reference outputs. */
  public static MlpSpec mlp(String name) {
    return switch (name) {
      case HIGGS_MLP_V1 -> MlpSpec.seeded(name, 0x5EED_0001L, HIGGS_FEATURES, 64, 32, 1);
      case HIGGS_MLP_V2 -> MlpSpec.seeded(name, 0x5EED_0002L, HIGGS_FEATURES, 128, 128, 64, 1);
      case WIDE_MLP -> MlpSpec.seeded(name, 0x5EED_0003L, HIGGS_FEATURES, 2048, 2048, 1);
      default ->
          throw new IllegalArgumentException(
              "mlp model: '"
                  + name
                  + "' (expected: one of "
                  + List.of(HIGGS_MLP_V1, HIGGS_MLP_V2, WIDE_MLP)
                  + ")");
    };
  }

  /** The name of the identity model for a datatype, e.g. {@code identity_fp16}. */
  public static String identityModelName(DataType type) {
    return "identity_" + type.name().toLowerCase(Locale.ROOT);
  }

  /** The ONNX model of a demo model or an identity model. */
  public static ModelProto model(String name) {
    if (name.equals(ADD_SUB)) {
      return addSub();
    }
    if (name.equals(ADD_WITH_INITIALIZER)) {
      return addWithInitializer();
    }
    for (DataType type : IDENTITY_TYPES) {
      if (name.equals(identityModelName(type))) {
        return identity(name, type);
      }
    }
    return mlp(name).toModel();
  }

  /** The Triton config of a demo model; batching models get a dynamic batcher when asked. */
  public static ModelConfig config(String name, boolean dynamicBatching) {
    ModelConfig.Builder config =
        ModelConfig.newBuilder().setName(name).setPlatform("onnxruntime_onnx");
    if (name.equals(ADD_SUB)) {
      config
          .setMaxBatchSize(MAX_BATCH_SIZE)
          .addInput(input("INPUT0", DataType.FP32, ADD_SUB_WIDTH))
          .addInput(input("INPUT1", DataType.FP32, ADD_SUB_WIDTH))
          .addOutput(output("OUTPUT0", DataType.FP32, ADD_SUB_WIDTH))
          .addOutput(output("OUTPUT1", DataType.FP32, ADD_SUB_WIDTH));
    } else {
      MlpSpec spec = mlp(name);
      config
          .setMaxBatchSize(MAX_BATCH_SIZE)
          .addInput(input(spec.inputName(), DataType.FP32, spec.inputWidth()))
          .addOutput(output(spec.outputName(), DataType.FP32, spec.outputWidth()));
    }
    config.addInstanceGroup(cpuInstances());
    if (dynamicBatching) {
      ModelDynamicBatching.Builder batching =
          ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(MAX_QUEUE_DELAY_MICROS);
      // With no queue delay a batch takes whatever is queued; a preferred size below the max would
      // cut it there (Triton's rule when max_queue_delay is 0), so only the max is preferred.
      batching.addPreferredBatchSize(MAX_BATCH_SIZE);
      config.setDynamicBatching(batching);
      if (!name.equals(WIDE_MLP)) {
        // a small model's execution costs about what a thread hop costs: run it on the caller
        config.putParameters(DynamicBatchScheduler.INLINE_EXECUTION_PARAMETER,
            ModelParameter.newBuilder().setStringValue(Long.toString(INLINE_EXECUTION_MAX_MICROS)).build());
      }
    }
    return config.build();
  }

  /** The Triton config of an identity model: no batch dimension, dims [-1, -1]. */
  public static ModelConfig identityConfig(DataType type) {
    return ModelConfig.newBuilder()
        .setName(identityModelName(type))
        .setPlatform("onnxruntime_onnx")
        .setMaxBatchSize(0)
        .addInput(input("INPUT0", type, -1, -1))
        .addOutput(output("OUTPUT0", type, -1, -1))
        .addInstanceGroup(cpuInstances())
        .build();
  }

  /** The Triton config of {@link #ADD_WITH_INITIALIZER}: {@code INITIALIZER} optional, no batching. */
  public static ModelConfig addWithInitializerConfig() {
    ModelInput.Builder initializer = input("INITIALIZER", DataType.FP32, ADD_WITH_INITIALIZER_DIMS).toBuilder();
    return ModelConfig.newBuilder()
        .setName(ADD_WITH_INITIALIZER)
        .setPlatform("onnxruntime_onnx")
        .setMaxBatchSize(0)
        .addInput(input("INPUT", DataType.FP32, ADD_WITH_INITIALIZER_DIMS))
        .addInput(initializer.setOptional(true))
        .addOutput(output("OUTPUT", DataType.FP32, ADD_WITH_INITIALIZER_DIMS))
        .addInstanceGroup(cpuInstances())
        .build();
  }

  /** Writes the four demo models; the bytes are identical on every run. */
  public static void writeRepository(Path repo, boolean dynamicBatching) throws IOException {
    for (String name : DEMO_MODELS) {
      writeModel(repo, name, config(name, dynamicBatching));
    }
  }

  /** Writes {@code identity_<type>} for every type in {@link #IDENTITY_TYPES}. */
  public static void writeIdentityRepository(Path repo) throws IOException {
    for (DataType type : IDENTITY_TYPES) {
      writeModel(repo, identityModelName(type), identityConfig(type));
    }
  }

  private static void writeModel(Path repo, String name, ModelConfig config) throws IOException {
    Path modelDir = repo.resolve(name);
    OnnxGraphBuilder.write(model(name), modelDir.resolve("1").resolve("model.onnx"));
    Files.writeString(
        modelDir.resolve("config.pbtxt"),
        TextFormat.printer().printToString(config),
        StandardCharsets.UTF_8);
  }

  private static ModelProto addSub() {
    return OnnxGraphBuilder.graph(ADD_SUB)
        .input("INPUT0", TensorProto.DataType.FLOAT, -1, ADD_SUB_WIDTH)
        .input("INPUT1", TensorProto.DataType.FLOAT, -1, ADD_SUB_WIDTH)
        .output("OUTPUT0", TensorProto.DataType.FLOAT, -1, ADD_SUB_WIDTH)
        .output("OUTPUT1", TensorProto.DataType.FLOAT, -1, ADD_SUB_WIDTH)
        .add("INPUT0", "INPUT1", "OUTPUT0")
        .sub("INPUT0", "INPUT1", "OUTPUT1")
        .build();
  }

  private static ModelProto addWithInitializer() {
    long[] dims = ADD_WITH_INITIALIZER_DIMS;
    float[] ones = new float[(int) (dims[0] * dims[1])];
    Arrays.fill(ones, 1f);
    return OnnxGraphBuilder.graph("init_input")
        .input("INPUT", TensorProto.DataType.FLOAT, dims)
        .input("INITIALIZER", TensorProto.DataType.FLOAT, dims)
        .output("OUTPUT", TensorProto.DataType.FLOAT, dims)
        .floatInitializer("INITIALIZER", dims, ones)
        .add("INPUT", "INITIALIZER", "OUTPUT")
        .build();
  }

  private static ModelProto identity(String name, DataType type) {
    TensorProto.DataType onnxType = OnnxTypes.onnxType(type);
    return OnnxGraphBuilder.graph(name)
        .input("INPUT0", onnxType, -1, -1)
        .output("OUTPUT0", onnxType, -1, -1)
        .identity("INPUT0", "OUTPUT0")
        .build();
  }

  private static ModelInstanceGroup cpuInstances() {
    return ModelInstanceGroup.newBuilder()
        .setCount(1)
        .setKind(ModelInstanceGroup.Kind.KIND_CPU)
        .build();
  }

  private static ModelInput input(String name, DataType type, long... dims) {
    ModelInput.Builder input = ModelInput.newBuilder().setName(name).setDataType(type.configType());
    for (long dim : dims) {
      input.addDims(dim);
    }
    return input.build();
  }

  private static ModelOutput output(String name, DataType type, long... dims) {
    ModelOutput.Builder output =
        ModelOutput.newBuilder().setName(name).setDataType(type.configType());
    for (long dim : dims) {
      output.addDims(dim);
    }
    return output.build();
  }
}
