package dev.yardmaster.bench.codec;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.protocol.ProtoTensorCodec;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The KServe v2 codec on the request path: {@link #decodeRequest} turns a {@code ModelInferRequest}
 * of {@code batch} rows of 28 FP32 features (the HIGGS input) into an {@link InferRequest};
 * {@link #encodeResponse} turns an {@link InferResponse} of the same shape into a {@code
 * ModelInferResponse}. {@code contents=raw} uses {@code raw_input_contents} / {@code
 * raw_output_contents} (wrapped, no copy); {@code contents=typed} uses {@code fp32_contents},
 * packed and unpacked with primitive loops. All messages are built in {@link #setUp()}.
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} shows what one call allocates: per-element
 * boxing would add about 16 B per float (28 KB at batch 64); raw contents should allocate the same
 * at batch 1 and 64, typed contents about the packed bytes (4 B per float) more.
 *
 * <p>Run with {@code ./yardmaster jmh TensorCodecBenchmark -prof gc}, or after {@code mvn -pl
 * benchmarks -am -DskipTests package}: {@code java -cp
 * benchmarks/target/yardmaster-benchmarks-0.1.0-SNAPSHOT.jar:$(cat
 * benchmarks/target/classpath.txt) org.openjdk.jmh.Main TensorCodecBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TensorCodecBenchmark {

  static final int FEATURES = 28;

  @Param({"1", "64"})
  public int batch;

  @Param({"raw", "typed"})
  public String contents;

  private ModelInferRequest request;
  private InferResponse response;
  private boolean rawOutputs;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42L);
    float[] values = new float[batch * FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2.0 - 1.0);
    }
    ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
        .setName("input").setDatatype("FP32").addShape(batch).addShape(FEATURES);
    ModelInferRequest.Builder message = ModelInferRequest.newBuilder()
        .setModelName("higgs_mlp_v1").setId("bench");
    rawOutputs = contents.equals("raw");
    if (rawOutputs) {
      ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(values);
      message.addInputs(input).addRawInputContents(ByteString.copyFrom(bytes));
    } else {
      InferTensorContents.Builder typed = InferTensorContents.newBuilder();
      for (float value : values) {
        typed.addFp32Contents(value);
      }
      message.addInputs(input.setContents(typed));
    }
    request = message.build();
    Tensor output = Tensor.ofFloats("output", new long[] {batch, FEATURES}, values);
    response = new InferResponse("higgs_mlp_v1", "1", "bench", List.of(output), Map.of());
  }

  /** ModelInferRequest -> InferRequest (what the gRPC service does per request). */
  @Benchmark
  public InferRequest decodeRequest() {
    return ProtoTensorCodec.toInferRequest(request, 0L);
  }

  /** InferResponse -> ModelInferResponse (what the gRPC service does per response). */
  @Benchmark
  public ModelInferResponse encodeResponse() {
    return ProtoTensorCodec.toModelInferResponse(response, rawOutputs);
  }
}
