package dev.yardmaster.router.server;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.onnx.OnnxTypes;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelOutput;
import dev.yardmaster.protocol.v2.ModelTensorReshape;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * Triton's ONNX qa models, written by project code ({@link OnnxGraphBuilder}) with the graphs and
 * configs Triton's generators give them: the add/sub models of {@code qa/common/gen_qa_models.py}
 * ({@code create_onnx_modelfile}), the identity models of {@code gen_qa_identity_models.py} that
 * L0_infer_zero runs, and the identity models with {@code reshape} of {@code gen_qa_reshape_models.py}.
 * Names follow {@code test_util.py}: {@code onnx[_nobatch]_<in>_<out0>_<out1>} and
 * {@code onnx[_nobatch]_zero_<io count>_<type>}, types as numpy names them.
 */
final class TritonQaModels {

  /** max_batch_size of every batching qa model. */
  static final int MAX_BATCH = 8;

  private TritonQaModels() {}

  /** numpy's name of a datatype ({@code np.dtype(object).name} is "object"). */
  static String numpyName(DataType type) {
    return switch (type) {
      case FP16 -> "float16";
      case FP32 -> "float32";
      case FP64 -> "float64";
      case BYTES -> "object";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  /** test_util's {@code get_model_name}. */
  static String addSubName(boolean batched, DataType input, DataType output0, DataType output1) {
    return (batched ? "onnx_" : "onnx_nobatch_") + numpyName(input) + "_" + numpyName(output0) + "_"
        + numpyName(output1);
  }

  /** test_util's {@code get_zero_model_name}. */
  static String zeroName(boolean batched, int ioCount, DataType type) {
    return (batched ? "onnx_zero_" : "onnx_nobatch_zero_") + ioCount + "_" + numpyName(type);
  }

  /**
   * An add/sub model: OUTPUT0 = INPUT0 + INPUT1 and OUTPUT1 = INPUT0 - INPUT1, or the other way
   * round in the versions listed as swapped; INT8, INT16 and STRING inputs are cast to INT32 first,
   * the results cast to each output's type (FP16 to FP16 stays an Identity, as in Triton's).
   */
  static void writeAddSub(Path repository, boolean batched, DataType input, DataType output0, DataType output1,
      long[] dims, List<Integer> versions, List<Integer> swappedVersions, ModelVersionPolicy policy)
      throws IOException {
    String name = addSubName(batched, input, output0, output1);
    for (int version : versions) {
      OnnxGraphBuilder.write(addSubGraph(name, batched, input, output0, output1, dims,
          swappedVersions.contains(version)), repository.resolve(name).resolve(Integer.toString(version))
          .resolve("model.onnx"));
    }
    ModelConfig.Builder config = config(name, batched).setVersionPolicy(policy)
        .addInput(input("INPUT0", input, dims, dims)).addInput(input("INPUT1", input, dims, dims))
        .addOutput(output("OUTPUT0", output0, dims, dims)).addOutput(output("OUTPUT1", output1, dims, dims));
    writeConfig(repository, config.build());
  }

  /**
   * An identity model: OUTPUTi = INPUTi for each shape. Config dims are {@code configShapes}
   * (a {@code reshape} to {@code modelShapes} where they differ); the graph has {@code modelShapes}.
   */
  static void writeIdentity(Path repository, String name, boolean batched, DataType type, long[][] configShapes,
      long[][] modelShapes, long[][] outputConfigShapes) throws IOException {
    OnnxGraphBuilder graph = OnnxGraphBuilder.graph(name);
    TensorProto.DataType onnxType = OnnxTypes.onnxType(type);
    ModelConfig.Builder config = config(name, batched);
    for (int i = 0; i < configShapes.length; i++) {
      long[] modelDims = withBatch(batched, modelShapes[i]);
      graph.input("INPUT" + i, onnxType, modelDims).output("OUTPUT" + i, onnxType, modelDims)
          .identity("INPUT" + i, "OUTPUT" + i);
      config.addInput(input("INPUT" + i, type, configShapes[i], modelShapes[i]))
          .addOutput(output("OUTPUT" + i, type, outputConfigShapes[i], modelShapes[i]));
    }
    OnnxGraphBuilder.write(graph.build(), repository.resolve(name).resolve("1").resolve("model.onnx"));
    writeConfig(repository, config.build());
  }

  /**
   * L0_nan_inf's {@code nan_inf_output} (a Python model there): OUTPUT0 [6] = INPUT0 [-1] plus the
   * constant [NaN, Inf, -Inf, 1, 2, 3], so an INPUT0 of [0] answers Triton's expected output.
   */
  static void writeNanInf(Path repository, String name) throws IOException {
    OnnxGraphBuilder graph = OnnxGraphBuilder.graph(name)
        .input("INPUT0", TensorProto.DataType.FLOAT, -1).output("OUTPUT0", TensorProto.DataType.FLOAT, 6)
        .floatInitializer("SPECIALS", new long[] {6},
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1, 2, 3})
        .add("INPUT0", "SPECIALS", "OUTPUT0");
    OnnxGraphBuilder.write(graph.build(), repository.resolve(name).resolve("1").resolve("model.onnx"));
    writeConfig(repository, config(name, false)
        .addInput(input("INPUT0", DataType.FP32, new long[] {-1}, new long[] {-1}))
        .addOutput(output("OUTPUT0", DataType.FP32, new long[] {6}, new long[] {6})).build());
  }

  /**
   * {@code gen_qa_ort_scalar_models.py}: an FP32 identity INPUT -> OUTPUT whose ONNX tensors are
   * scalars (rank 0), no batching, both declared in config.pbtxt with {@code configDims} (all 1s
   * for Triton's {@code onnx_scalar_<rank>dim}, no reshape).
   */
  static void writeScalarIdentity(Path repository, String name, long... configDims) throws IOException {
    OnnxGraphBuilder graph = OnnxGraphBuilder.graph(name)
        .input("INPUT", TensorProto.DataType.FLOAT).output("OUTPUT", TensorProto.DataType.FLOAT)
        .identity("INPUT", "OUTPUT");
    OnnxGraphBuilder.write(graph.build(), repository.resolve(name).resolve("1").resolve("model.onnx"));
    writeConfig(repository, config(name, false)
        .addInput(input("INPUT", DataType.FP32, configDims, configDims))
        .addOutput(output("OUTPUT", DataType.FP32, configDims, configDims)).build());
  }

  private static ModelProto addSubGraph(String name, boolean batched, DataType input,
      DataType output0, DataType output1, long[] dims, boolean swap) {
    TensorProto.DataType inputType = OnnxTypes.onnxType(input);
    long[] modelDims = withBatch(batched, dims);
    OnnxGraphBuilder graph = OnnxGraphBuilder.graph(name)
        .input("INPUT0", inputType, modelDims).input("INPUT1", inputType, modelDims)
        .output("OUTPUT0", OnnxTypes.onnxType(output0), modelDims)
        .output("OUTPUT1", OnnxTypes.onnxType(output1), modelDims);
    if (input == DataType.INT8 || input == DataType.INT16 || input == DataType.BYTES) {
      graph.cast("INPUT0", "_INPUT0", TensorProto.DataType.INT32).cast("INPUT1", "_INPUT1", TensorProto.DataType.INT32);
    } else {
      graph.identity("INPUT0", "_INPUT0").identity("INPUT1", "_INPUT1");
    }
    graph.add("_INPUT0", "_INPUT1", swap ? "CAST1" : "CAST0").sub("_INPUT0", "_INPUT1", swap ? "CAST0" : "CAST1");
    castOrIdentity(graph, "CAST0", "OUTPUT0", input, output0);
    castOrIdentity(graph, "CAST1", "OUTPUT1", input, output1);
    return graph.build();
  }

  private static void castOrIdentity(OnnxGraphBuilder graph, String from, String to, DataType input,
      DataType output) {
    if (input == DataType.FP16 && output == DataType.FP16) {
      graph.identity(from, to);
    } else {
      graph.cast(from, to, OnnxTypes.onnxType(output));
    }
  }

  private static long[] withBatch(boolean batched, long[] dims) {
    return batched ? LongStream.concat(LongStream.of(-1), Arrays.stream(dims)).toArray() : dims;
  }

  private static ModelConfig.Builder config(String name, boolean batched) {
    return ModelConfig.newBuilder().setName(name).setPlatform("onnxruntime_onnx")
        .setMaxBatchSize(batched ? MAX_BATCH : 0)
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(1).setKind(ModelInstanceGroup.Kind.KIND_CPU));
  }

  private static ModelInput input(String name, DataType type, long[] dims, long[] modelDims) {
    ModelInput.Builder input = ModelInput.newBuilder().setName(name).setDataType(type.configType());
    Arrays.stream(dims).forEach(input::addDims);
    if (!Arrays.equals(dims, modelDims)) {
      input.setReshape(reshape(modelDims));
    }
    return input.build();
  }

  private static ModelOutput output(String name, DataType type, long[] dims, long[] modelDims) {
    ModelOutput.Builder output = ModelOutput.newBuilder().setName(name).setDataType(type.configType());
    Arrays.stream(dims).forEach(output::addDims);
    if (!Arrays.equals(dims, modelDims)) {
      output.setReshape(reshape(modelDims));
    }
    return output.build();
  }

  private static ModelTensorReshape reshape(long[] shape) {
    ModelTensorReshape.Builder reshape = ModelTensorReshape.newBuilder();
    Arrays.stream(shape).forEach(reshape::addShape);
    return reshape.build();
  }

  private static void writeConfig(Path repository, ModelConfig config) throws IOException {
    Files.writeString(repository.resolve(config.getName()).resolve("config.pbtxt"),
        TextFormat.printer().printToString(config));
  }
}
