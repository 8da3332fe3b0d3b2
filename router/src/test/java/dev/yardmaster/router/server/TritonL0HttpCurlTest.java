package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.toFloats;
import static dev.yardmaster.router.server.TritonRequests.ADD_SUB;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.server.BinaryInferBody.Response;
import dev.yardmaster.router.testsupport.LocalHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of the checks Triton's {@code qa/L0_http/test.sh} makes with curl against plain endpoints:
 * JSON and binary outputs as {@code binary_data} and {@code binary_data_output} choose them, data
 * that does not match its shape, a path under a base path, and the request headers and bodies of
 * {@code src/http_server.cc} HandleInfer (Inference-Header-Content-Length, malformed JSON, any
 * Content-Type). add_sub stands for Triton's {@code simple} (FP32 where {@code simple} is INT32).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0HttpCurlTest extends ServedTritonModels {

  private static final String ONES_TO_16 = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]";
  private static final String INPUTS = "\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1,16],"
      + "\"data\":" + ONES_TO_16 + "},{\"name\":\"INPUT1\",\"datatype\":\"FP32\",\"shape\":[1,16],\"data\":"
      + ONES_TO_16 + "}]";
  private static final float[] SUMS = {2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32};
  private static final float[] DIFFERENCES = new float[16];

  private static Response infer(String body, String... headers) throws Exception {
    HttpResponse<byte[]> answer = new LocalHttp(server.httpPort())
        .post("/v2/models/" + ADD_SUB + "/infer", body.getBytes(StandardCharsets.UTF_8), headers);
    assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Response.parse(answer.body(),
        answer.headers().firstValue(BinaryTensorDataHttpTest.HEADER_LENGTH).orElse(null));
  }

  private static Response infer(String body) throws Exception {
    return infer(body, "Content-Type", "application/json");
  }

  private static float[] json(Response answer, String output) {
    JsonNode data = answer.output(output).get("data");
    assertThat(data).as(output + " as JSON").isNotNull();
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) data.get(i).asDouble();
    }
    return values;
  }

  private static float[] binary(Response answer, String output) {
    assertThat(answer.output(output).has("data")).as(output + " has no JSON data").isFalse();
    return toFloats(answer.binaryOutputs().get(output));
  }

  // test.sh "no parameters, no outputs == json output"
  @Test
  void withoutParametersOrOutputsBothOutputsAreJson() throws Exception {
    Response answer = infer("{" + INPUTS + "}");

    assertThat(json(answer, "OUTPUT0")).containsExactly(SUMS);
    assertThat(json(answer, "OUTPUT1")).containsExactly(DIFFERENCES);
  }

  // test.sh "binary_data=true on OUTPUT0, binary_data=false on OUTPUT1" and "binary_data=true on
  // OUTPUT0, binary_data not given on OUTPUT1"
  @Test
  void binaryDataChoosesEachListedOutputsFormat() throws Exception {
    for (String second : new String[] {"{\"name\":\"OUTPUT1\",\"parameters\":{\"binary_data\":false}}",
        "{\"name\":\"OUTPUT1\"}"}) {
      Response answer = infer("{" + INPUTS + ",\"outputs\":[{\"name\":\"OUTPUT0\",\"parameters\":"
          + "{\"binary_data\":true}}," + second + "]}");

      assertThat(binary(answer, "OUTPUT0")).as(second).containsExactly(SUMS);
      assertThat(json(answer, "OUTPUT1")).as(second).containsExactly(DIFFERENCES);
    }
  }

  // test.sh "binary_data_output=true, no outputs requested"
  @Test
  void binaryDataOutputMakesEveryUnlistedOutputBinary() throws Exception {
    Response answer = infer("{\"parameters\":{\"binary_data_output\":true}," + INPUTS + "}");

    assertThat(binary(answer, "OUTPUT0")).containsExactly(SUMS);
    assertThat(binary(answer, "OUTPUT1")).containsExactly(DIFFERENCES);
  }

  // test.sh "binary_data_output=true, binary_data=false on OUTPUT0, binary_data not given on
  // OUTPUT1": listed outputs are JSON unless they say binary_data themselves.
  @Test
  void listedOutputsAreJsonWhateverBinaryDataOutputSays() throws Exception {
    Response answer = infer("{\"parameters\":{\"binary_data_output\":true}," + INPUTS + ",\"outputs\":["
        + "{\"name\":\"OUTPUT0\",\"parameters\":{\"binary_data\":false}},{\"name\":\"OUTPUT1\"}]}");

    assertThat(json(answer, "OUTPUT0")).containsExactly(SUMS);
    assertThat(json(answer, "OUTPUT1")).containsExactly(DIFFERENCES);
  }

  // test.sh "bad request where the 'data' field misaligns with the 'shape' field": 15 and 18
  // elements for shape [1, 16] are each refused (Triton: "Unable to parse 'data': Shape does not
  // match true shape of 'data' field"), and the server answers a good request after them.
  @Test
  void dataThatDoesNotMatchItsShapeIsRefusedAndTheServerKeepsServing() throws Exception {
    for (String data : new String[] {"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]",
        "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18]"}) {
      String body = "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1,16],\"data\":" + data + "}]}";

      assertThat(http400(TritonRequests.httpInfer(server.httpPort(), ADD_SUB, body)))
          .contains("input 'INPUT0' data:", "expected: 16");
    }
    assertThat(json(infer("{" + INPUTS + "}"), "OUTPUT0")).containsExactly(SUMS);
  }

  // test.sh "Test with the base path in url": POST /base_path/v2/models/simple/infer is no endpoint.
  @Test
  void anInferPathUnderABasePathIsNoEndpoint() throws Exception {
    HttpResponse<String> answer = new LocalHttp(server.httpPort())
        .post("/base_path/v2/models/" + ADD_SUB + "/infer", "{" + INPUTS + "}");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(BinaryInferBody.JSON.readTree(answer.body()).get("error").asText())
        .contains("POST /base_path/v2/models/add_sub/infer: no such endpoint");
  }

  // http_server.cc GetInferenceHeaderLength: a header length below 0 or above the body is 400
  // "inference header size should be in range (0, <body>), got: <value>". Triton reads the value
  // with atoi, so one that is no number is 0, a raw binary request; here it is refused naming the
  // header (BinaryTensorData.jsonLength), rather than read as a raw body.
  @Test
  void anInferenceHeaderLengthOutsideTheBodyIsRefusedNamingTheHeader() throws Exception {
    byte[] body = ("{" + INPUTS + "}").getBytes(StandardCharsets.UTF_8);
    for (String length : new String[] {"-1", Integer.toString(body.length + 1), "abc"}) {
      HttpResponse<byte[]> answer = new LocalHttp(server.httpPort())
          .post("/v2/models/" + ADD_SUB + "/infer", body, BinaryTensorDataHttpTest.HEADER_LENGTH, length);

      assertThat(http400(answer)).as(length).contains("Inference-Header-Content-Length: " + length);
    }
  }

  // http_server.cc EVBufferToJson: a body that is no JSON is refused ("failed to parse the request
  // JSON buffer: ..."; Triton's TritonJson errors are INTERNAL, a 500 there, a 400 here as the
  // README documents for malformed bodies).
  @Test
  void aBodyThatIsNoJsonIsRefused() throws Exception {
    for (String body : new String[] {"{\"inputs\":[", "inputs", "{\"inputs\":[]}}"}) {
      assertThat(http400(TritonRequests.httpInfer(server.httpPort(), ADD_SUB, body))).as(body)
          .contains("request body");
    }
  }

  // http_server.cc HandleInfer reads no Content-Type: a JSON body sent as text/plain, as
  // application/octet-stream or with none is answered as JSON (curl -d sends
  // application/x-www-form-urlencoded).
  @Test
  void theContentTypeOfAJsonBodyDoesNotMatter() throws Exception {
    for (String type : new String[] {"text/plain", "application/octet-stream", "application/x-www-form-urlencoded"}) {
      assertThat(json(infer("{" + INPUTS + "}", "Content-Type", type), "OUTPUT0")).as(type).containsExactly(SUMS);
    }
    assertThat(json(infer("{" + INPUTS + "}", new String[0]), "OUTPUT0")).containsExactly(SUMS);
  }
}
