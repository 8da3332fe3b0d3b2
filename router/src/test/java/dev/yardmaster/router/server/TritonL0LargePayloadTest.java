package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.stub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.server.BinaryInferBody.Response;
import dev.yardmaster.router.testsupport.Fp32Raw;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's {@code qa/L0_large_payload} ({@code large_payload_test.py} test_onnx) on ONNX Runtime
 * over real gRPC and HTTP: {@code onnx_nobatch_zero_1_float32}, an FP32 identity of [-1], gets a
 * large tensor (1.9 GB there, within gRPC's 2 GB protobuf bound) back unchanged, and a very large
 * one (3 GB there) is refused, after which a one-element tensor still comes back exact. Scaled to
 * what a small test machine moves in a moment: the server's limit ({@code --max-message-mb}, which
 * bounds each gRPC message and each HTTP body as received) is 8 MiB, the large tensor just under
 * it and the very large one just over. A refusal names the limit: {@code RESOURCE_EXHAUSTED} over
 * gRPC, 413 over HTTP (Triton: 400, a kept difference), compressed or not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0LargePayloadTest extends ServedRepositoryTest {

  static final String MODEL = TritonQaModels.zeroName(false, 1, DataType.FP32);
  static final int LIMIT = 8 << 20;
  /** Room for the message's or body's other fields, well under 4 KiB. */
  static final int LARGE = LIMIT - 4096;
  static final int VERY_LARGE = LIMIT + 4096;
  static final String GRPC_REFUSAL = "request: more than " + LIMIT + " bytes (expected: a message of at most 8 MiB,"
      + " the server's --max-message-mb)";

  @BeforeAll
  static void startServer() throws Exception {
    long[][] dims = {{-1}};
    TritonQaModels.writeIdentity(repository, MODEL, false, DataType.FP32, dims, dims, dims);
    serve(LIMIT);
  }

  // _test_helper, the large tensor over gRPC: unary and streamed, the output equals the input.
  @Test
  void aTensorJustUnderTheLimitComesBackUnchangedOverGrpc() throws Exception {
    ByteString large = randomFloats(LARGE);

    assertThat(stub(channel).modelInfer(request(large)).getRawOutputContents(0)).isEqualTo(large);
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(stream);
    requests.onNext(request(large));
    requests.onCompleted();
    stream.ended().get(30, TimeUnit.SECONDS);
    assertThat(stream.answers()).hasSize(1);
    assertThat(stream.answers().get(0).getInferResponse().getRawOutputContents(0)).isEqualTo(large);
  }

  // _test_helper, the large tensor over HTTP, as tritonclient.http sends it (binary tensor data).
  @Test
  void aTensorJustUnderTheLimitComesBackUnchangedOverHttp() throws Exception {
    byte[] large = randomFloats(LARGE).toByteArray();

    HttpResponse<byte[]> answer = TritonRequests.httpInfer(server.httpPort(), MODEL, binaryBody(large));

    assertThat(answer.statusCode()).isEqualTo(200);
    Response response = Response.parse(answer.body(),
        answer.headers().firstValue(BinaryTensorDataHttpTest.HEADER_LENGTH).orElseThrow());
    assertThat(response.binaryOutputs().get("OUTPUT0")).isEqualTo(large);
  }

  // _test_helper, the very large tensor over gRPC (commented out there, DLIS-2474: gRPC must refuse
  // a message over its limit): unary, streamed, and gzip-compressed to far under the limit on the
  // wire; then a small payload comes back exact.
  @Test
  void aTensorOverTheLimitIsRefusedOverGrpcAndASmallOneIsThenAnswered() throws Exception {
    ModelInferRequest veryLarge = request(ByteString.copyFrom(new byte[VERY_LARGE]));

    StatusRuntimeException unary = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(channel).modelInfer(veryLarge));
    assertThat(unary.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(unary.getStatus().getDescription()).isEqualTo(GRPC_REFUSAL);
    StatusRuntimeException compressed = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(channel).withCompression("gzip").modelInfer(veryLarge));
    assertThat(compressed.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    StreamCollector stream = new StreamCollector();
    GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(stream).onNext(veryLarge);
    ExecutionException streamed = catchThrowableOfType(ExecutionException.class,
        () -> stream.ended().get(30, TimeUnit.SECONDS));
    assertThat(Status.fromThrowable(streamed.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    ByteString small = randomFloats(Float.BYTES);
    ModelInferResponse answer = stub(channel).modelInfer(request(small));
    assertThat(answer.getOutputs(0).getShapeList()).containsExactly(1L);
    assertThat(answer.getRawOutputContents(0)).isEqualTo(small);
  }

  // _test_helper, the very large tensor over HTTP (FIXME DLIS-1776 there: refused), as binary
  // tensor data and gzip-compressed; then a small payload comes back exact.
  @Test
  void aTensorOverTheLimitIsRefusedOverHttpAndASmallOneIsThenAnswered() throws Exception {
    BinaryInferBody veryLarge = binaryBody(new byte[VERY_LARGE]);

    assertRefusedNamingTheLimit(TritonRequests.httpInfer(server.httpPort(), MODEL, veryLarge));
    assertRefusedNamingTheLimit(new LocalHttp(server.httpPort()).post("/v2/models/" + MODEL + "/infer",
        gzip(veryLarge.body()), BinaryTensorDataHttpTest.HEADER_LENGTH, Integer.toString(veryLarge.json().length),
        "Content-Type", "application/octet-stream", "Content-Encoding", "gzip"));

    byte[] small = randomFloats(Float.BYTES).toByteArray();
    HttpResponse<byte[]> answer = TritonRequests.httpInfer(server.httpPort(), MODEL, binaryBody(small));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(Response.parse(answer.body(), answer.headers().firstValue(BinaryTensorDataHttpTest.HEADER_LENGTH)
        .orElseThrow()).binaryOutputs().get("OUTPUT0")).isEqualTo(small);
  }

  private static void assertRefusedNamingTheLimit(HttpResponse<byte[]> answer) throws Exception {
    String body = new String(answer.body(), StandardCharsets.UTF_8);
    assertThat(answer.statusCode()).as(body).isEqualTo(413);
    assertThat(BinaryInferBody.JSON.readTree(body).get("error").asText()).contains("more than " + LIMIT + " bytes");
  }

  /** INPUT0 of [n] FP32 elements with {@code raw} as their bytes. */
  private static ModelInferRequest request(ByteString raw) {
    return ModelInferRequest.newBuilder().setModelName(MODEL)
        .addInputs(TritonRequests.tensor("INPUT0", "FP32", raw.size() / Float.BYTES)).addRawInputContents(raw).build();
  }

  private static BinaryInferBody binaryBody(byte[] raw) {
    return new BinaryInferBody().binaryInput("INPUT0", "FP32", new long[] {raw.length / Float.BYTES}, raw)
        .output("OUTPUT0", true);
  }

  /** {@code bytes} bytes of random FP32 values in [0, 1), as Triton's test draws them. */
  private static ByteString randomFloats(int bytes) {
    float[] values = new float[bytes / Float.BYTES];
    SplittableRandom random = new SplittableRandom(19);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return Fp32Raw.bytes(values);
  }

  private static byte[] gzip(byte[] body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream compressing = new GZIPOutputStream(out)) {
      compressing.write(body);
    }
    return out.toByteArray();
  }
}
