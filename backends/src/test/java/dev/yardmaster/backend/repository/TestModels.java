package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.backend.SchedulerFactory;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.onnx.proto.GraphProto;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.NodeProto;
import dev.yardmaster.onnx.proto.OperatorSetIdProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.onnx.proto.TensorShapeProto;
import dev.yardmaster.onnx.proto.TypeProto;
import dev.yardmaster.onnx.proto.ValueInfoProto;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Small repositories, ONNX files and fake runtimes for the repository tests. */
final class TestModels {

  private TestModels() {}

  /** A Triton-style config for an identity model {@code input} FP32 [-1,4] to {@code output}. */
  static String identityConfig(String name, int maxBatchSize) {
    return """
        name: "%s"
        platform: "onnxruntime_onnx"
        max_batch_size: %d
        input [ { name: "input" data_type: TYPE_FP32 dims: [ 4 ] } ]
        output [ { name: "output" data_type: TYPE_FP32 dims: [ 4 ] } ]
        """.formatted(name, maxBatchSize);
  }

  /** Writes {@code repo/name/config.pbtxt} (when config is not null) and each version's model.onnx. */
  static Path writeModel(Path repository, String name, String config, long... versions) {
    try {
      Path directory = Files.createDirectories(repository.resolve(name));
      if (config != null) {
        Files.writeString(directory.resolve("config.pbtxt"), config);
      }
      for (long version : versions) {
        writeOnnx(directory.resolve(Long.toString(version)).resolve("model.onnx"), identityOnnx("input", "output", 4));
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An ONNX Identity model: input FP32 [batch, width] -> output FP32 [batch, width]. */
  static ModelProto identityOnnx(String input, String output, long width) {
    return onnx(List.of(valueInfo(input, TensorProto.DataType.FLOAT_VALUE, "batch", width)),
        List.of(valueInfo(output, TensorProto.DataType.FLOAT_VALUE, "batch", width)));
  }

  static ModelProto onnx(List<ValueInfoProto> inputs, List<ValueInfoProto> outputs) {
    GraphProto.Builder graph = GraphProto.newBuilder().setName("g").addAllInput(inputs).addAllOutput(outputs);
    graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(inputs.get(0).getName())
        .addOutput(outputs.get(0).getName()));
    return ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
  }

  /** A tensor value info; a String dim is a dim_param, a Long a dim_value. */
  static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      shape.addDim(dim instanceof String param
          ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
          : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) dim).longValue()));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
  }

  static void writeOnnx(Path file, ModelProto model) {
    try {
      Files.createDirectories(file.getParent());
      try (var out = Files.newOutputStream(file)) {
        model.writeTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens runners that copy the inputs to the outputs by position; records opens and closes. */
  static final class IdentityRunnerFactory implements RunnerFactory {
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    /** A model name, or {@code name/version}, whose opening fails. */
    volatile String failingModel = "";
    volatile Runnable onOpen = () -> { };

    @Override
    public ModelRunner open(ModelSpec spec, Path modelFile) {
      String label = spec.name() + "/" + spec.version();
      if (spec.name().equals(failingModel) || label.equals(failingModel)) {
        throw InferenceException.internal("%s: cannot open (expected: a loadable ONNX file)", modelFile.getFileName());
      }
      onOpen.run();
      opened.add(label);
      return new ModelRunner() {
        @Override
        public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
          List<Tensor> outputs = new ArrayList<>();
          for (int i = 0; i < outputNames.size(); i++) {
            TensorSpec input = spec.inputs().get(Math.min(i, spec.inputs().size() - 1));
            outputs.add(inputs.get(input.name()).withName(outputNames.get(i)));
          }
          return outputs;
        }

        @Override
        public String kind() {
          return "identity";
        }

        @Override
        public void close() {
          closed.add(label);
        }
      };
    }
  }

  /** Schedulers that run each request on the caller's thread; records closes. */
  static final class DirectSchedulerFactory implements SchedulerFactory {
    final List<String> created = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    @Override
    public Scheduler create(ModelSpec spec, ModelRunner runner, dev.yardmaster.backend.ModelStats stats) {
      created.add(spec.name() + "/" + spec.version());
      return new DirectScheduler(spec, runner, closed);
    }
  }

  static final class DirectScheduler implements Scheduler {
    private final ModelSpec spec;
    private final ModelRunner runner;
    private final List<String> closedLog;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    DirectScheduler(ModelSpec spec, ModelRunner runner, List<String> closedLog) {
      this.spec = spec;
      this.runner = runner;
      this.closedLog = closedLog;
    }

    @Override
    public CompletableFuture<InferResponse> submit(InferRequest request) {
      if (closed) {
        return CompletableFuture.failedFuture(InferenceException.unavailable("model '%s' is unloading", spec.name()));
      }
      inFlight.incrementAndGet();
      try {
        Map<String, Tensor> inputs = new java.util.HashMap<>();
        request.inputs().forEach(tensor -> inputs.put(tensor.name(), tensor));
        List<String> outputs = request.requestedOutputs().isEmpty()
            ? spec.outputs().stream().map(TensorSpec::name).toList() : request.requestedOutputs();
        return CompletableFuture.completedFuture(new InferResponse(spec.name(), spec.version(), request.id(),
            runner.run(inputs, outputs), Map.of()));
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public int queuedRows() {
      return 0;
    }

    @Override
    public int queuedRequests() {
      return 0;
    }

    @Override
    public int inFlightRequests() {
      return inFlight.get();
    }

    @Override
    public void close() {
      closed = true;
      closedLog.add(spec.name() + "/" + spec.version());
    }
  }
}
