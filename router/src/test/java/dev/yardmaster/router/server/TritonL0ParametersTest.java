package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.ADD_SUB;
import static dev.yardmaster.router.server.TritonRequests.addSubRow;
import static dev.yardmaster.router.server.TritonRequests.grpcError;
import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_parameters/parameters_test.py} (InferenceParametersTest) for an
 * ONNX model, and the request-parameter checks of Triton's gRPC front end ({@code
 * src/grpc/infer_handler.cc} SetInferenceRequestMetadata) that it exercises. The test's python
 * model echoes the parameters back; an ONNX model never sees them, so here a request with them
 * must simply be answered, and one with a reserved {@code triton_} key refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0ParametersTest extends ServedTritonModels {

  private static final String ROW = "{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":"
      + "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},{\"name\":\"INPUT1\",\"shape\":[1,16],\"datatype\":\"FP32\","
      + "\"data\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}";

  private static String withParameters(String parametersJson) {
    return "{\"parameters\":" + parametersJson + ",\"inputs\":[" + ROW + "]}";
  }

  private static InferParameter string(String value) {
    return InferParameter.newBuilder().setStringParam(value).build();
  }

  // test_grpc_parameter: the parameter sets {key1: value1, key2: value2}, {1, 2}, {123.123,
  // 321.321} and {True, value2} are each accepted.
  @Test
  void stringIntDoubleAndBoolParametersAreAcceptedOverGrpc() {
    List<Map<String, InferParameter>> sets = List.of(
        Map.of("key1", string("value1"), "key2", string("value2")),
        Map.of("key1", InferParameter.newBuilder().setInt64Param(1).build(),
            "key2", InferParameter.newBuilder().setInt64Param(2).build()),
        Map.of("key1", InferParameter.newBuilder().setDoubleParam(123.123).build(),
            "key2", InferParameter.newBuilder().setDoubleParam(321.321).build()),
        Map.of("key1", InferParameter.newBuilder().setBoolParam(true).build(), "key2", string("value2")));
    for (Map<String, InferParameter> parameters : sets) {
      ModelInferRequest request = addSubRow().putAllParameters(parameters).build();

      assertThat(grpcInfer(channel, request).getOutputsCount()).as("%s", parameters).isEqualTo(2);
    }
  }

  // test_http_parameter: the same sets over HTTP/JSON.
  @Test
  void stringIntDoubleAndBoolParametersAreAcceptedOverHttp() throws Exception {
    for (String parameters : List.of("{\"key1\":\"value1\",\"key2\":\"value2\"}", "{\"key1\":1,\"key2\":2}",
        "{\"key1\":123.123,\"key2\":321.321}", "{\"key1\":true,\"key2\":\"value2\"}")) {
      HttpResponse<String> answer = httpInfer(server.httpPort(), ADD_SUB, withParameters(parameters));

      assertThat(answer.statusCode()).as(parameters + " -> " + answer.body()).isEqualTo(200);
    }
  }

  // test_grpc_parameter, last set {triton_: True, key2: value2}: "The `triton_` prefix is reserved
  // for Triton usage" and the request fails (infer_handler.cc: INVALID_ARG "parameter keys
  // starting with 'triton_' are reserved for Triton usage").
  @Test
  void aTritonPrefixedParameterIsRefusedOverGrpc() {
    ModelInferRequest request = addSubRow()
        .putParameters("triton_", InferParameter.newBuilder().setBoolParam(true).build())
        .putParameters("key2", string("value2")).build();

    Status status = grpcError(channel, request);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("'triton_'", "reserved");
  }

  // test_http_parameter, last set: the same refusal over HTTP, a 400.
  @Test
  void aTritonPrefixedParameterIsRefusedOverHttp() throws Exception {
    HttpResponse<String> answer =
        httpInfer(server.httpPort(), ADD_SUB, withParameters("{\"triton_\":true,\"key2\":\"value2\"}"));

    assertThat(http400(answer)).contains("'triton_'", "reserved");
  }

  // infer_handler.cc: the one 'triton_' key Triton accepts on a request,
  // triton_enable_empty_final_response, as a bool (TRITON_RESERVED_REQUEST_PARAMS).
  @Test
  void theReservedKeyTritonAllowsIsAccepted() {
    ModelInferRequest request = addSubRow().putParameters("triton_enable_empty_final_response",
        InferParameter.newBuilder().setBoolParam(true).build()).build();

    assertThat(grpcInfer(channel, request).getOutputsCount()).isEqualTo(2);
  }

  // infer_handler.cc: "invalid value for 'priority', expected value >= 0." and "invalid value
  // type for 'timeout' parameter, expected int64_param.", both INVALID_ARG.
  @Test
  void aNegativePriorityOrATimeoutThatIsNoIntegerIsRefused() throws Exception {
    Status priority = grpcError(channel, addSubRow()
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(-1).build()).build());
    Status timeout = grpcError(channel, addSubRow().putParameters("timeout", string("soon")).build());

    assertThat(priority.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(priority.getDescription()).contains("'priority'", "-1");
    assertThat(timeout.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(timeout.getDescription()).contains("'timeout'");
    assertThat(http400(httpInfer(server.httpPort(), ADD_SUB, withParameters("{\"priority\":-1}"))))
        .contains("'priority'");
  }
}
