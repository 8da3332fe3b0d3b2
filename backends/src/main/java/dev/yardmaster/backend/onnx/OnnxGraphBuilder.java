package dev.yardmaster.backend.onnx;

import com.google.protobuf.ByteString;
import dev.yardmaster.onnx.proto.AttributeProto;
import dev.yardmaster.onnx.proto.GraphProto;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.NodeProto;
import dev.yardmaster.onnx.proto.OperatorSetIdProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.onnx.proto.TensorShapeProto;
import dev.yardmaster.onnx.proto.TypeProto;
import dev.yardmaster.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds an ONNX {@link ModelProto} (IR version 8, default-domain opset 17) from a handful of
 * operators, so the project writes its own models without Python or the ONNX tooling.
 *
 * <p>A {@code -1} dimension becomes a symbolic one: {@code "batch"} in position 0, {@code
 * "dim_<i>"} elsewhere. Not thread safe; one builder makes one model.
 */
public final class OnnxGraphBuilder {
  /** IR version 8 is the newest that every ORT since 1.10 loads. */
  public static final long IR_VERSION = 8;

  public static final long OPSET = 17;

  private final GraphProto.Builder graph;
  private int nodeCount;

  private OnnxGraphBuilder(String graphName) {
    this.graph = GraphProto.newBuilder().setName(graphName);
  }

  /** A builder for a graph with this name. */
  public static OnnxGraphBuilder graph(String graphName) {
    return new OnnxGraphBuilder(graphName);
  }

  /** Declares a graph input; {@code -1} dims are symbolic. */
  public OnnxGraphBuilder input(String name, TensorProto.DataType elemType, long... dims) {
    graph.addInput(valueInfo(name, elemType, dims));
    return this;
  }

  /** Declares a graph output; {@code -1} dims are symbolic. */
  public OnnxGraphBuilder output(String name, TensorProto.DataType elemType, long... dims) {
    graph.addOutput(valueInfo(name, elemType, dims));
    return this;
  }

  /** Adds a float constant stored as little-endian {@code raw_data}, as ONNX requires. */
  public OnnxGraphBuilder floatInitializer(String name, long[] dims, float[] values) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "initializer '" + name + "' values: " + values.length + " (expected: " + count + ")");
    }
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(raw));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    graph.addInitializer(tensor);
    return this;
  }

  /** Adds a node of a default-domain operator with no attributes. */
  public OnnxGraphBuilder node(String opType, List<String> inputs, String output) {
    graph.addNode(
        NodeProto.newBuilder()
            .setName(opType.toLowerCase(java.util.Locale.ROOT) + "_" + nodeCount++)
            .setOpType(opType)
            .addAllInput(inputs)
            .addOutput(output));
    return this;
  }

  public OnnxGraphBuilder matMul(String a, String b, String output) {
    return node("MatMul", List.of(a, b), output);
  }

  public OnnxGraphBuilder add(String a, String b, String output) {
    return node("Add", List.of(a, b), output);
  }

  public OnnxGraphBuilder sub(String a, String b, String output) {
    return node("Sub", List.of(a, b), output);
  }

  public OnnxGraphBuilder relu(String input, String output) {
    return node("Relu", List.of(input), output);
  }

  public OnnxGraphBuilder sigmoid(String input, String output) {
    return node("Sigmoid", List.of(input), output);
  }

  public OnnxGraphBuilder identity(String input, String output) {
    return node("Identity", List.of(input), output);
  }

  /** Adds a Cast of {@code input} to the element type {@code to} (STRING included, both ways). */
  public OnnxGraphBuilder cast(String input, String output, TensorProto.DataType to) {
    graph.addNode(
        NodeProto.newBuilder()
            .setName("cast_" + nodeCount++)
            .setOpType("Cast")
            .addInput(input)
            .addOutput(output)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("to")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(to.getNumber())));
    return this;
  }

  /** The model around the graph; {@code producer_version} is fixed so bytes never vary. */
  public ModelProto build() {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("yardmaster")
        .setProducerVersion("1")
        .setModelVersion(1)
        .setGraph(graph)
        .build();
  }

  /** Writes the model's binary form, creating parent directories. */
  public static void write(ModelProto model, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      model.writeTo(out);
    }
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType elemType, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (int i = 0; i < dims.length; i++) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (dims[i] >= 0) {
        dim.setDimValue(dims[i]);
      } else {
        dim.setDimParam(i == 0 ? "batch" : "dim_" + i);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(elemType.getNumber())
                        .setShape(shape)))
        .build();
  }
}
