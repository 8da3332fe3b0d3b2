package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.grpcError;
import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.streamAnswers;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.testsupport.Fp32Raw;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_output_name/output_name_test.py} (OutputNameValidationTest) on
 * {@code onnx_nobatch_zero_1_float32}: a request asking for an output the model does not have is
 * INVALID_ARGUMENT / 400 naming the output and the model (Triton: "unexpected inference output
 * 'DUMMY' for model '...'"), over unary gRPC, streaming gRPC and HTTP, and the server keeps serving.
 * An output asked for twice is refused the same way, as Triton's core does since
 * triton-inference-server/server#8741.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0OutputNameTest extends ServedRepositoryTest {

  private static final String MODEL = TritonQaModels.zeroName(false, 1, DataType.FP32);

  @BeforeAll
  static void startServer() throws Exception {
    long[][] dims = {{-1}};
    TritonQaModels.writeIdentity(repository, MODEL, false, DataType.FP32, dims, dims, dims);
    serve();
  }

  /** output_name_test.py's requestGenerator: INPUT0 [1] of four raw bytes, one requested output per name. */
  private static ModelInferRequest request(String... outputs) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(MODEL)
        .setId("output name validation").addInputs(tensor("INPUT0", "FP32", 1))
        .addRawInputContents(Fp32Raw.bytes(new float[] {7}));
    for (String output : outputs) {
      request.addOutputs(InferRequestedOutputTensor.newBuilder().setName(output));
    }
    return request.build();
  }

  // output_name_test.py test_grpc: the output "DUMMY".
  @Test
  void anUnknownOutputIsInvalidArgumentNamingItOverGrpc() {
    Status status = grpcError(channel, request("DUMMY"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).startsWith("output 'DUMMY' name: unknown to model '" + MODEL + "'")
        .contains("OUTPUT0");
    assertThat(Fp32Raw.floats(grpcInfer(channel, request("OUTPUT0")).getRawOutputContents(0))).containsExactly(7f);
  }

  // The same request in a ModelStreamInfer stream: the error is the stream's answer to it, and the
  // stream goes on to answer the next request.
  @Test
  void anUnknownOutputIsAnErrorAnswerInAStream() throws Exception {
    List<ModelStreamInferResponse> answers = streamAnswers(channel, request("DUMMY"), request("OUTPUT0"));

    assertThat(answers).extracting(ModelStreamInferResponse::getErrorMessage)
        .satisfiesExactly(error -> assertThat(error).contains("output 'DUMMY' name: unknown"),
            none -> assertThat(none).isEmpty());
  }

  // The same over HTTP: 400 with the message as {"error": ...}.
  @Test
  void anUnknownOutputIs400NamingItOverHttp() throws Exception {
    String body = "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[7]}],"
        + "\"outputs\":[{\"name\":\"DUMMY\"}]}";

    assertThat(http400(httpInfer(server.httpPort(), MODEL, body))).startsWith("output 'DUMMY' name: unknown to model");
  }

  // http_test.py / grpc test_duplicate_output_names (server#8741): the same output twice is
  // refused over gRPC too, and the server keeps serving.
  @Test
  void anOutputRequestedTwiceIsInvalidArgumentOverGrpc() {
    Status status = grpcError(channel, request("OUTPUT0", "OUTPUT0"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("output 'OUTPUT0': requested twice");
    assertThat(grpcInfer(channel, request("OUTPUT0")).getOutputsCount()).isEqualTo(1);
  }
}
