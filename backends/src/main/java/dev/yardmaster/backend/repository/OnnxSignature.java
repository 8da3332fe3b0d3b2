package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.onnx.proto.GraphProto;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.onnx.proto.TensorShapeProto;
import dev.yardmaster.onnx.proto.TypeProto;
import dev.yardmaster.onnx.proto.ValueInfoProto;
import dev.yardmaster.protocol.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The inputs and outputs of an ONNX model as its graph declares them, read without a runtime.
 * Graph inputs that are initializers (weights) are not inputs: as in ONNX Runtime, from IR version 4
 * on they are overridable initializers, which a run may be given or leave at their stored value. A
 * symbolic ({@code dim_param}) or missing dimension is -1.
 *
 * @param inputs graph inputs without an initializer, in graph order: a run needs every one
 * @param overridable graph inputs with an initializer, in graph order: a run may give them
 * @param outputs graph outputs, in graph order
 */
public record OnnxSignature(List<OnnxTensor> inputs, List<OnnxTensor> overridable, List<OnnxTensor> outputs) {

  /** ONNX Runtime lets a run override the initializers that are graph inputs from this IR version on. */
  static final long OVERRIDABLE_INITIALIZERS_IR_VERSION = 4;

  /**
   * One graph input or output.
   *
   * @param name tensor name
   * @param dataType the element type, or null when ONNX's {@code elemType} has no KServe datatype
   * @param elemType ONNX's element type number
   * @param dims full dimensions (batch included), or null when the graph gives no shape
   */
  public record OnnxTensor(String name, @Nullable DataType dataType, int elemType, @Nullable List<Long> dims) {
    public OnnxTensor {
      dims = dims == null ? null : List.copyOf(dims);
    }

    /** Whether the tensor is a scalar: a shape of no dims (rank 0), not a missing shape. */
    public boolean scalar() {
      return dims != null && dims.isEmpty();
    }

    /** Whether the first dimension is variable (a candidate batch dimension). */
    public boolean firstDimDynamic() {
      return dims != null && !dims.isEmpty() && dims.get(0) == -1L;
    }
  }

  public OnnxSignature {
    inputs = List.copyOf(inputs);
    overridable = List.copyOf(overridable);
    outputs = List.copyOf(outputs);
  }

  /**
   * Reads the signature of an ONNX file.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the file when it cannot be read or parsed
   */
  public static OnnxSignature read(Path onnxFile) {
    ModelProto model;
    try (InputStream in = Files.newInputStream(onnxFile)) {
      model = ModelProto.parseFrom(in);
    } catch (IOException e) {
      throw InferenceException.invalidArgument("%s: %s (expected: a readable ONNX model)", onnxFile, e.getMessage());
    }
    if (!model.hasGraph()) {
      throw InferenceException.invalidArgument("%s graph: absent (expected: an ONNX model with a graph)", onnxFile);
    }
    return of(model.getGraph(), model.getIrVersion() >= OVERRIDABLE_INITIALIZERS_IR_VERSION);
  }

  /** The signature of a graph of IR version 4 or later. */
  public static OnnxSignature of(GraphProto graph) {
    return of(graph, true);
  }

  /** The signature of a graph; before IR version 4 initializers are constants a run cannot override. */
  static OnnxSignature of(GraphProto graph, boolean initializersOverridable) {
    Set<String> initializers = new HashSet<>();
    for (TensorProto initializer : graph.getInitializerList()) {
      initializers.add(initializer.getName());
    }
    List<OnnxTensor> inputs = new ArrayList<>();
    List<OnnxTensor> overridable = new ArrayList<>();
    for (ValueInfoProto input : graph.getInputList()) {
      if (!initializers.contains(input.getName())) {
        inputs.add(tensor(input));
      } else if (initializersOverridable) {
        overridable.add(tensor(input));
      }
    }
    List<OnnxTensor> outputs = new ArrayList<>();
    for (ValueInfoProto output : graph.getOutputList()) {
      outputs.add(tensor(output));
    }
    return new OnnxSignature(inputs, overridable, outputs);
  }

  /** Whether every input and output has a variable first dimension, so the model can batch. */
  public boolean supportsBatching() {
    if (inputs.isEmpty() && outputs.isEmpty()) {
      return false;
    }
    return inputs.stream().allMatch(OnnxTensor::firstDimDynamic)
        && outputs.stream().allMatch(OnnxTensor::firstDimDynamic);
  }

  public @Nullable OnnxTensor input(String name) {
    return find(inputs, name);
  }

  /** A graph input with an initializer, which a run may give or leave at its stored value. */
  public @Nullable OnnxTensor overridable(String name) {
    return find(overridable, name);
  }

  public @Nullable OnnxTensor output(String name) {
    return find(outputs, name);
  }

  private static @Nullable OnnxTensor find(List<OnnxTensor> tensors, String name) {
    for (OnnxTensor tensor : tensors) {
      if (tensor.name().equals(name)) {
        return tensor;
      }
    }
    return null;
  }

  private static OnnxTensor tensor(ValueInfoProto info) {
    TypeProto.Tensor type = info.getType().getTensorType();
    List<Long> dims = null;
    if (type.hasShape()) {
      dims = new ArrayList<>();
      for (TensorShapeProto.Dimension dim : type.getShape().getDimList()) {
        dims.add(dim.hasDimValue() && dim.getDimValue() >= 0 ? dim.getDimValue() : -1L);
      }
    }
    return new OnnxTensor(info.getName(), dataType(type.getElemType()), type.getElemType(), dims);
  }

  /** The KServe datatype of an ONNX {@code TensorProto.DataType} number, or null. */
  public static @Nullable DataType dataType(int elemType) {
    return switch (elemType) {
      case TensorProto.DataType.FLOAT_VALUE -> DataType.FP32;
      case TensorProto.DataType.UINT8_VALUE -> DataType.UINT8;
      case TensorProto.DataType.INT8_VALUE -> DataType.INT8;
      case TensorProto.DataType.UINT16_VALUE -> DataType.UINT16;
      case TensorProto.DataType.INT16_VALUE -> DataType.INT16;
      case TensorProto.DataType.INT32_VALUE -> DataType.INT32;
      case TensorProto.DataType.INT64_VALUE -> DataType.INT64;
      case TensorProto.DataType.STRING_VALUE -> DataType.BYTES;
      case TensorProto.DataType.BOOL_VALUE -> DataType.BOOL;
      case TensorProto.DataType.FLOAT16_VALUE -> DataType.FP16;
      case TensorProto.DataType.DOUBLE_VALUE -> DataType.FP64;
      case TensorProto.DataType.UINT32_VALUE -> DataType.UINT32;
      case TensorProto.DataType.UINT64_VALUE -> DataType.UINT64;
      case TensorProto.DataType.BFLOAT16_VALUE -> DataType.BF16;
      default -> null;
    };
  }
}
