package dev.yardmaster.router.server;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A test model: computes its outputs in the calling thread, or after a gate opens. */
final class FakeModel implements ServedModel {

  private final ModelSpec spec;
  private final Function<InferRequest, List<Tensor>> compute;
  private final ModelStats stats = new ModelStats();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  private volatile boolean throwsSynchronously;

  FakeModel(ModelSpec spec, Function<InferRequest, List<Tensor>> compute) {
    this.spec = spec;
    this.compute = compute;
  }

  /** Holds every following request until the returned future is completed. */
  CompletableFuture<Void> closeGate() {
    CompletableFuture<Void> newGate = new CompletableFuture<>();
    gate = newGate;
    return newGate;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** Makes infer() throw instead of failing its future, breaking the ServedModel contract. */
  FakeModel throwingSynchronously() {
    throwsSynchronously = true;
    return this;
  }

  @Override
  public CompletableFuture<InferResponse> infer(InferRequest request) {
    if (throwsSynchronously) {
      throw new IllegalStateException("faulty model broke its contract");
    }
    inFlight.incrementAndGet();
    return gate.thenApplyAsync(ignored -> {
      try {
        List<Tensor> outputs = compute.apply(request);
        if (!request.requestedOutputs().isEmpty()) {
          List<Tensor> selected = new ArrayList<>();
          for (String name : request.requestedOutputs()) {
            selected.add(outputs.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> InferenceException.invalidArgument(
                    "model '%s' output '%s': unknown (expected: one of the model's outputs)", spec.name(), name)));
          }
          outputs = selected;
        }
        int rows = spec.batched() && !request.inputs().isEmpty() ? (int) request.inputs().get(0).dim(0) : 1;
        long total = System.nanoTime() - request.arrivalNanos();
        stats.recordExecution(rows, 1_000, 2_000, 3_000);
        stats.recordSuccess(rows, total, 500, 1_000, 2_000, 3_000);
        return new InferResponse(spec.name(), spec.version(), request.id(), outputs, request.parameters());
      } catch (RuntimeException failure) {
        stats.recordFailure(System.nanoTime() - request.arrivalNanos(), ModelStats.FailureReason.OTHER);
        throw failure;
      }
    }).whenComplete((response, error) -> inFlight.decrementAndGet());
  }

  @Override
  public ModelStats stats() {
    return stats;
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

  /** add_sub: OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1, FP32 [-1, 16]. */
  static FakeModel addSub(String version) {
    List<TensorSpec> inputs = List.of(new TensorSpec("INPUT0", DataType.FP32, new long[] {16}),
        new TensorSpec("INPUT1", DataType.FP32, new long[] {16}));
    List<TensorSpec> outputs = List.of(new TensorSpec("OUTPUT0", DataType.FP32, new long[] {16}),
        new TensorSpec("OUTPUT1", DataType.FP32, new long[] {16}));
    ModelSpec spec = spec("add_sub", version, 8, inputs, outputs);
    return new FakeModel(spec, request -> {
      Tensor a = input(request, "INPUT0");
      Tensor b = input(request, "INPUT1");
      float[] x = a.toFloats();
      float[] y = b.toFloats();
      if (x.length != y.length || a.rank() != 2 || a.dim(1) != 16) {
        throw InferenceException.invalidArgument("model 'add_sub' input 'INPUT0' shape: %s (expected: [-1, 16])",
            java.util.Arrays.toString(a.shape()));
      }
      float[] sum = new float[x.length];
      float[] difference = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        sum[i] = x[i] + y[i];
        difference[i] = x[i] - y[i];
      }
      return List.of(Tensor.ofFloats("OUTPUT0", a.shape(), sum), Tensor.ofFloats("OUTPUT1", a.shape(), difference));
    });
  }

  /** echo: every input comes back as an output of the same name, any datatype. */
  static FakeModel echo(String name, String version) {
    List<TensorSpec> tensors = List.of(new TensorSpec("INPUT0", DataType.BYTES, new long[] {-1}));
    List<TensorSpec> outputs = List.of(new TensorSpec("INPUT0", DataType.BYTES, new long[] {-1}));
    return new FakeModel(spec(name, version, 0, tensors, outputs), InferRequest::inputs);
  }

  /** faulty: fails every request with a non-inference exception. */
  static FakeModel faulty(String version) {
    return new FakeModel(spec("faulty", version, 0, List.of(), List.of()), request -> {
      throw new ArithmeticException("faulty model divided by zero");
    });
  }

  private static Tensor input(InferRequest request, String name) {
    for (Tensor tensor : request.inputs()) {
      if (tensor.name().equals(name)) {
        if (tensor.dataType() != DataType.FP32) {
          throw InferenceException.invalidArgument("model 'add_sub' input '%s' datatype: %s (expected: FP32)",
              name, tensor.dataType());
        }
        return tensor;
      }
    }
    throw InferenceException.invalidArgument("model 'add_sub' input '%s': missing (expected: INPUT0 and INPUT1)", name);
  }

  private static ModelSpec spec(String name, String version, int maxBatchSize, List<TensorSpec> inputs,
      List<TensorSpec> outputs) {
    ModelConfig.Builder config = ModelConfig.newBuilder()
        .setName(name).setPlatform("fake").setMaxBatchSize(maxBatchSize);
    for (TensorSpec input : inputs) {
      ModelInput.Builder builder = config.addInputBuilder().setName(input.name())
          .setDataType(input.dataType().configType());
      for (long dim : input.dims()) {
        builder.addDims(dim);
      }
    }
    for (TensorSpec output : outputs) {
      ModelOutput.Builder builder = config.addOutputBuilder().setName(output.name())
          .setDataType(output.dataType().configType());
      for (long dim : output.dims()) {
        builder.addDims(dim);
      }
    }
    return new ModelSpec(name, version, "fake", maxBatchSize, inputs, outputs, config.build());
  }

  static ByteBuffer floats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.flip();
  }

  static Map<String, Object> noParameters() {
    return Map.of();
  }
}
