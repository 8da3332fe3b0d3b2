package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.grpcError;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.indexRow;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import dev.yardmaster.router.testsupport.Fp32Raw;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_output_validation/lt_op_val_client.py} (OutputValidationTest) to
 * ONNX models. Triton's are LibTorch models, whose outputs it can only check when they run, so its
 * errors come with the inference; ONNX declares its outputs, so Triton's ONNX Runtime backend
 * ({@code ValidateOutputs}) and Yardmaster both fail the load instead: the model is UNAVAILABLE
 * with the reason in the index, a request for it is NOT_FOUND / 404 "has no available versions"
 * (Triton's {@code ModelLifeCycle::GetModel}) naming the reason, and the models beside it serve.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0OutputValidationTest extends ServedRepositoryTest {

  private static final String SUCCESS = "onnx_zero_1_float32";
  /** Triton's libtorch_datatype_1_float32: config says TYPE_INT32 for an FP32 output. */
  private static final String DATATYPE = "onnx_datatype_1_float32";
  /** Triton's libtorch_index_1_float32: config names OUTPUT1 of a model with OUTPUT0 only. */
  private static final String INDEX = "onnx_index_1_float32";
  private static final String BODY = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,1],\"datatype\":\"FP32\","
      + "\"data\":[1.0]}],\"outputs\":[{\"name\":\"%s\"}]}";

  @BeforeAll
  static void startServer() throws Exception {
    long[][] dims = {{1}};
    for (String model : new String[] {SUCCESS, DATATYPE, INDEX}) {
      TritonQaModels.writeIdentity(repository, model, true, DataType.FP32, dims, dims, dims);
    }
    editConfig(DATATYPE, "data_type: TYPE_FP32\n  dims: 1\n}\n", "data_type: TYPE_INT32\n  dims: 1\n}\n");
    editConfig(INDEX, "name: \"OUTPUT0\"", "name: \"OUTPUT1\"");
    serve();
  }

  /** Replaces the last {@code from} (the output's, after the input's) in the model's config.pbtxt. */
  private static void editConfig(String model, String from, String to) throws Exception {
    Path config = repository.resolve(model).resolve("config.pbtxt");
    String text = Files.readString(config);
    int at = text.lastIndexOf(from);
    assertThat(at).as("%s in %s", from, text).isNotNegative();
    Files.writeString(config, text.substring(0, at) + to + text.substring(at + from.length()));
  }

  // lt_op_val_client.py test_datatype: Triton's "configuration expects datatype TYPE_INT32 for
  // output 'OUTPUT__0', model provides TYPE_FP32".
  @Test
  void anOutputDatatypeTheModelDoesNotHaveFailsTheLoadNamingBoth() throws Exception {
    ModelIndex row = indexRow(channel, DATATYPE);

    assertThat(row.getState()).isEqualTo("UNAVAILABLE");
    assertThat(row.getReason()).contains("output 'OUTPUT0' data_type: TYPE_INT32 (expected: TYPE_FP32");
    assertRequestsNotFound(DATATYPE, "OUTPUT0");
  }

  // lt_op_val_client.py test_index: Triton's "The output OUTPUT__1 in the model configuration
  // refers to an output index which doesn't exist"; for ONNX "unexpected inference output
  // 'OUTPUT1', allowed outputs are: OUTPUT0" (CheckAllowedModelOutput).
  @Test
  void anOutputTheModelDoesNotHaveFailsTheLoadNamingIt() throws Exception {
    ModelIndex row = indexRow(channel, INDEX);

    assertThat(row.getState()).isEqualTo("UNAVAILABLE");
    assertThat(row.getReason()).contains("output 'OUTPUT1' name: not an output of", "OUTPUT0");
    assertRequestsNotFound(INDEX, "OUTPUT1");
  }

  // lt_op_val_client.py test_success.
  @Test
  void aValidModelAnswers200() throws Exception {
    HttpResponse<String> answer = httpInfer(server.httpPort(), SUCCESS, String.format(BODY, "OUTPUT0"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  private static void assertRequestsNotFound(String model, String output) throws Exception {
    HttpResponse<String> answer = httpInfer(server.httpPort(), model, String.format(BODY, output));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
    Status status = grpcError(channel, ModelInferRequest.newBuilder().setModelName(model)
        .addInputs(tensor("INPUT0", "FP32", 1, 1)).addRawInputContents(Fp32Raw.bytes(new float[] {1})).build());
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("'" + model + "' has no available versions");
  }
}
