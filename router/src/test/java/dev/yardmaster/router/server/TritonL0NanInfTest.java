package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.FP32;
import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.Fp32Raw;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_nan_inf/nan_inf_test.py} (NanInfTest) on an ONNX model that adds
 * its input to the constant [NaN, Inf, -Inf, 1, 2, 3] (Triton's is a Python model returning it):
 * the special values come back exactly over gRPC and binary HTTP, and in JSON as Triton's writer
 * (rapidjson with {@code kWriteNanAndInfFlag}) writes them: the bare tokens {@code NaN},
 * {@code Infinity} and {@code -Infinity}, which Python's {@code json} reads. JSON inputs accept the
 * same tokens, as Triton's parser ({@code kParseNanAndInfFlag}) does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0NanInfTest extends ServedRepositoryTest {

  private static final String MODEL = "nan_inf_output";
  private static final String INT32S = DemoModels.identityModelName(DataType.INT32);
  private static final float[] EXPECTED = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1, 2, 3};

  @BeforeAll
  static void startServer() throws Exception {
    TritonQaModels.writeNanInf(repository, MODEL);
    TritonRequests.writeModels(repository);
    TritonRequests.write(repository, INT32S, INT32S, DemoModels.identityConfig(DataType.INT32));
    serve();
  }

  // nan_inf_test.py test_http_raw: a JSON request whose JSON answer must parse; Triton writes the
  // special values as bare NaN, Infinity and -Infinity (triton_json.h Write, kWriteNanAndInfFlag).
  @Test
  void jsonAnswerWritesNanAndInfinityAsTritonDoes() throws Exception {
    HttpResponse<String> answer = httpInfer(server.httpPort(), MODEL,
        "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[0]}]}");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"data\":[NaN,Infinity,-Infinity,1.0,2.0,3.0]");
    JsonNode data = BinaryInferBody.JSON.readTree(answer.body()).at("/outputs/0/data");
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.get(i).floatValue();
    }
    assertThat(values).containsExactly(EXPECTED);
  }

  // nan_inf_test.py test_http: tritonclient.http's binary input and output.
  @Test
  void binaryHttpAnswerCarriesNanAndInfinityExactly() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", new long[] {1}, BinaryInferBody.floats(0)).output("OUTPUT0", true);

    byte[] output = BinaryTensorDataHttpTest.parse(httpInfer(server.httpPort(), MODEL, body))
        .binaryOutputs().get("OUTPUT0");

    assertThat(BinaryInferBody.toFloats(output)).containsExactly(EXPECTED);
  }

  // nan_inf_test.py test_grpc.
  @Test
  void grpcAnswerCarriesNanAndInfinityExactly() {
    ModelInferResponse answer = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(MODEL)
        .addInputs(tensor("INPUT0", "FP32", 1)).addRawInputContents(Fp32Raw.bytes(new float[] {0})).build());

    assertThat(Fp32Raw.floats(answer.getRawOutputContents(0))).containsExactly(EXPECTED);
    assertThat(answer.getOutputs(0).getShapeList()).containsExactly(6L);
  }

  // Beyond nan_inf_test.py: Triton parses request JSON with kParseNanAndInfFlag, so NaN, Infinity
  // and -Infinity are FP32/FP64 elements; they reach the model and come back, binary and JSON.
  @Test
  void jsonInputsAcceptNanAndInfinity() throws Exception {
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1,4],"
        + "\"data\":[NaN,Infinity,-Infinity,1.5]}],\"outputs\":[{\"name\":\"OUTPUT0\"}]}";

    HttpResponse<String> answer = httpInfer(server.httpPort(), FP32, json);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"data\":[NaN,Infinity,-Infinity,1.5]");
  }

  // Integers have no NaN: Triton's JSON reader refuses a non-integer element of an integer tensor.
  @Test
  void nanForAnIntegerInputIsRefusedNamingTheElement() throws Exception {
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,2],\"data\":[1,NaN]}]}";

    String error = http400(httpInfer(server.httpPort(), INT32S, json));

    assertThat(error).contains("data[1]", "NaN", "integer");
  }
}
