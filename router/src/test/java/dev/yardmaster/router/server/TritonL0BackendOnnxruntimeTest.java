package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.router.testsupport.LocalHttp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports of Triton's {@code qa/L0_backend_onnxruntime}: {@code test.py}'s BF16 add/sub over HTTP and
 * gRPC (test.sh runs it with both clients) on real ONNX Runtime. Triton's run is on a GPU; ONNX
 * Runtime's CPU provider has no BF16 Add or Sub, so the served model casts its BF16 inputs to FP32,
 * adds and subtracts, and casts the results back: BF16 in and out on the wire, rounded once, as
 * ml_dtypes rounds test.py's expected values. The uncast model ({@code gen_add_bf16_onnx_model.py})
 * fails to load on this CPU, with ONNX Runtime's reason, as it would under Triton on a CPU.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0BackendOnnxruntimeTest extends ServedRepositoryTest {

  private static final String MODEL = "onnx_bf16_bf16_bf16";
  private static final String UNCAST = "add_bf16";
  private static final int INNER = 16;
  /** test.py's cases, one row each: zeros, negatives, large, small, cancellation, identical. */
  private static final float[][] CASES = {{0f, 0f}, {-1.5f, 3.5f}, {100f, 200f}, {1e-2f, 1e-2f}, {1f, -1f}, {2f, 2f}};


  @BeforeAll
  static void startServer() throws Exception {
    TensorProto.DataType bf16 = TensorProto.DataType.BFLOAT16;
    TensorProto.DataType fp32 = TensorProto.DataType.FLOAT;
    OnnxGraphBuilder.write(OnnxGraphBuilder.graph(MODEL)
        .input("INPUT0", bf16, -1, INNER).input("INPUT1", bf16, -1, INNER)
        .output("OUTPUT0", bf16, -1, INNER).output("OUTPUT1", bf16, -1, INNER)
        .cast("INPUT0", "F0", fp32).cast("INPUT1", "F1", fp32)
        .add("F0", "F1", "SUM").sub("F0", "F1", "DIFFERENCE")
        .cast("SUM", "OUTPUT0", bf16).cast("DIFFERENCE", "OUTPUT1", bf16)
        .build(), repository.resolve(MODEL).resolve("1").resolve("model.onnx"));
    Files.writeString(repository.resolve(MODEL).resolve("config.pbtxt"), """
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: TYPE_BF16 dims: [ 16 ] },
                { name: "INPUT1" data_type: TYPE_BF16 dims: [ 16 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_BF16 dims: [ 16 ] },
                 { name: "OUTPUT1" data_type: TYPE_BF16 dims: [ 16 ] } ]
        instance_group [ { count: 1 kind: KIND_CPU } ]
        """);
    OnnxGraphBuilder.write(OnnxGraphBuilder.graph(UNCAST)
        .input("INPUT0", bf16, 5, 5).input("INPUT1", bf16, 5, 5).output("OUTPUT", bf16, 5, 5)
        .add("INPUT0", "INPUT1", "OUTPUT").build(), repository.resolve(UNCAST).resolve("1").resolve("model.onnx"));
    Files.writeString(repository.resolve(UNCAST).resolve("config.pbtxt"), """
        platform: "onnxruntime_onnx"
        max_batch_size: 0
        input [ { name: "INPUT0" data_type: TYPE_BF16 dims: [ 5, 5 ] },
                { name: "INPUT1" data_type: TYPE_BF16 dims: [ 5, 5 ] } ]
        output [ { name: "OUTPUT" data_type: TYPE_BF16 dims: [ 5, 5 ] } ]
        instance_group [ { kind: KIND_CPU } ]
        """);
    serve();
  }

  /** ml_dtypes' float32 to bfloat16: round to nearest, ties to even. */
  static short bf16(float value) {
    int bits = Float.floatToIntBits(value);
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }

  static float fromBf16(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** Each case's value in its row of 16, as BF16 bits; {@code column} 0 is INPUT0, 1 INPUT1. */
  private static short[] input(int column) {
    short[] values = new short[CASES.length * INNER];
    for (int row = 0; row < CASES.length; row++) {
      for (int i = 0; i < INNER; i++) {
        values[row * INNER + i] = bf16(CASES[row][column]);
      }
    }
    return values;
  }

  /** test.py's {@code input0_data + input1_data} (or {@code -}) in bfloat16: FP32 math, one rounding. */
  private static short[] expected(boolean add) {
    short[] in0 = input(0);
    short[] in1 = input(1);
    short[] out = new short[in0.length];
    for (int i = 0; i < out.length; i++) {
      float a = fromBf16(in0[i]);
      float b = fromBf16(in1[i]);
      out[i] = bf16(add ? a + b : a - b);
    }
    return out;
  }

  private static byte[] raw(short[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asShortBuffer().put(values);
    return buffer.array();
  }

  private static short[] shorts(byte[] raw) {
    short[] values = new short[raw.length / 2];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
    return values;
  }

  // qa/L0_backend_onnxruntime/test.py BFloat16Test.test_bf16_add_sub_variants, CLIENT_TYPE=grpc and
  // http (test.sh runs both): six cases batched in one request, outputs BF16 and exactly the sums
  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void bf16AddSubVariants(String client) throws Exception {
    long[] shape = {CASES.length, INNER};
    short[] output0;
    short[] output1;
    if (client.equals("grpc")) {
      ModelInferResponse response = TritonRequests.grpcInfer(channel, ModelInferRequest.newBuilder()
          .setModelName(MODEL)
          .addInputs(TritonRequests.tensor("INPUT0", "BF16", shape))
          .addInputs(TritonRequests.tensor("INPUT1", "BF16", shape))
          .addRawInputContents(ByteString.copyFrom(raw(input(0))))
          .addRawInputContents(ByteString.copyFrom(raw(input(1)))).build());
      assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getDatatype)
          .containsExactly("BF16", "BF16");
      assertThat(response.getOutputs(0).getShapeList()).containsExactly(shape[0], shape[1]);
      output0 = shorts(response.getRawOutputContents(0).toByteArray());
      output1 = shorts(response.getRawOutputContents(1).toByteArray());
    } else {
      BinaryInferBody body = new BinaryInferBody()
          .binaryInput("INPUT0", "BF16", shape, raw(input(0)))
          .binaryInput("INPUT1", "BF16", shape, raw(input(1)))
          .output("OUTPUT0", true).output("OUTPUT1", true);
      BinaryInferBody.Response response = BinaryTensorDataHttpTest.parse(
          TritonRequests.httpInfer(server.httpPort(), MODEL, body));
      assertThat(response.output("OUTPUT0").get("datatype").asText()).isEqualTo("BF16");
      assertThat(response.output("OUTPUT1").get("datatype").asText()).isEqualTo("BF16");
      assertThat(response.output("OUTPUT0").get("shape").toString()).isEqualTo("[6,16]");
      output0 = shorts(response.binaryOutputs().get("OUTPUT0"));
      output1 = shorts(response.binaryOutputs().get("OUTPUT1"));
    }
    assertThat(output0).as("input0 + input1").containsExactly(expected(true));
    assertThat(output1).as("input0 - input1").containsExactly(expected(false));
    assertThat(fromBf16(output0[3 * INNER])).as("1e-2 + 1e-2 in bfloat16").isEqualTo(0.02001953125f);
  }

  // qa/L0_backend_onnxruntime/gen_add_bf16_onnx_model.py's add_bf16 (an uncast BF16 Add) on a CPU
  // instance: ONNX Runtime's CPU provider has no BF16 Add, so the load fails with its reason, and,
  // as every failed load in Triton's ModelRepositoryManager::LoadUnloadModels, as INVALID_ARG
  // (HTTP 400, gRPC INVALID_ARGUMENT)
  @Test
  void uncastBf16AddFailsToLoadOnTheCpuWithOrtsReason() throws Exception {
    assertThat(TritonRequests.stub(channel).modelReady(ModelReadyRequest.newBuilder().setName(UNCAST).build())
        .getReady()).isFalse();
    HttpResponse<byte[]> load = new LocalHttp(server.httpPort())
        .post("/v2/repository/models/" + UNCAST + "/load", new byte[0]);

    assertThat(load.statusCode()).isEqualTo(400);
    assertThat(new String(load.body(), StandardCharsets.UTF_8))
        .contains("model '" + UNCAST + "/1'")
        .contains("Could not find an implementation for Add(14)");
    assertThatThrownBy(() -> TritonRequests.stub(channel).repositoryModelLoad(
        RepositoryModelLoadRequest.newBuilder().setModelName(UNCAST).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("Could not find an implementation for Add(14)");
        });
  }
}
