package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.testsupport.LocalHttp;
import io.grpc.ManagedChannel;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One inference of Triton's qa helpers ({@code infer_util.py}'s {@code infer_exact} and
 * {@code infer_zero}) sent each way those helpers send it: gRPC unary and streaming with raw
 * contents, gRPC with typed contents, HTTP with binary data and HTTP with JSON tensors. The answer
 * is decoded to the same {@link Answer} whatever the way, so a test compares once for all.
 */
final class QaInfer {

  /** The ways a request goes; Triton's helpers use all but TYPED (which the v2 protocol allows). */
  enum Way { GRPC, GRPC_STREAM, GRPC_TYPED, HTTP_BINARY, HTTP_JSON }

  record Input(String name, DataType type, long[] shape, long[] values) {}

  /** A requested output; {@code classes} > 0 asks for that many top classes. */
  record Output(String name, int classes) {
    static Output raw(String name) {
      return new Output(name, 0);
    }
  }

  /** An answered output: numbers for a raw output, "value:index" strings for a classified one. */
  record Tensor(String datatype, long[] shape, long @Nullable [] values, @Nullable List<String> classes) {}

  record Answer(String modelName, String modelVersion, String id, Map<String, Tensor> outputs) {}

  private static final AtomicLong REQUEST_IDS = new AtomicLong();

  private QaInfer() {}

  /** Whether {@code way} can carry the request: typed contents and JSON have no FP16. */
  static boolean carries(Way way, List<Input> inputs) {
    boolean hasHalf = inputs.stream().anyMatch(input -> input.type() == DataType.FP16);
    return !(hasHalf && (way == Way.GRPC_TYPED || way == Way.HTTP_JSON));
  }

  static Answer infer(Way way, ManagedChannel channel, int httpPort, String model, String version,
      List<Input> inputs, List<Output> outputs) throws Exception {
    String id = Long.toString(REQUEST_IDS.incrementAndGet());
    Answer answer = switch (way) {
      case GRPC, GRPC_STREAM, GRPC_TYPED -> grpc(way, channel, model, version, id, inputs, outputs);
      case HTTP_BINARY, HTTP_JSON -> http(way == Way.HTTP_JSON, httpPort, model, version, id, inputs, outputs);
    };
    assertThat(answer.id()).as("%s %s: the request's id echoed", model, way).isEqualTo(id);
    return answer;
  }

  private static Answer grpc(Way way, ManagedChannel channel, String model, String version, String id,
      List<Input> inputs, List<Output> outputs) throws Exception {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version)
        .setId(id);
    for (Input input : inputs) {
      ModelInferRequest.InferInputTensor.Builder tensor = TritonRequests.tensor(input.name(),
          input.type().name(), input.shape());
      if (way == Way.GRPC_TYPED) {
        tensor.setContents(typed(input));
      } else {
        request.addRawInputContents(QaValues.raw(input.type(), input.values()));
      }
      request.addInputs(tensor);
    }
    for (Output output : outputs) {
      InferRequestedOutputTensor.Builder requested = InferRequestedOutputTensor.newBuilder().setName(output.name());
      if (output.classes() > 0) {
        requested.putParameters("classification", InferParameter.newBuilder().setInt64Param(output.classes()).build());
      }
      request.addOutputs(requested);
    }
    ModelInferResponse response = way == Way.GRPC_STREAM ? stream(channel, request.build())
        : TritonRequests.grpcInfer(channel, request.build());
    Map<String, Tensor> answered = new LinkedHashMap<>();
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor tensor = response.getOutputs(i);
      DataType type = DataType.valueOf(tensor.getDatatype());
      long[] shape = tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
      boolean raw = response.getRawOutputContentsCount() > 0;
      if (classes(outputs, tensor.getName())) {
        List<String> classes = new ArrayList<>();
        List<ByteString> elements = raw ? splitBytes(response.getRawOutputContents(i))
            : tensor.getContents().getBytesContentsList();
        elements.forEach(element -> classes.add(element.toStringUtf8()));
        answered.put(tensor.getName(), new Tensor(tensor.getDatatype(), shape, null, classes));
      } else {
        long[] values = raw ? QaValues.fromRaw(type, response.getRawOutputContents(i))
            : QaValues.fromTyped(type, tensor.getContents());
        answered.put(tensor.getName(), new Tensor(tensor.getDatatype(), shape, values, null));
      }
    }
    return new Answer(response.getModelName(), response.getModelVersion(), response.getId(), answered);
  }

  private static ModelInferResponse stream(ManagedChannel channel, ModelInferRequest request) throws Exception {
    List<ModelStreamInferResponse> answers = TritonRequests.streamAnswers(channel, request);
    assertThat(answers).hasSize(1);
    ModelStreamInferResponse answer = answers.get(0);
    assertThat(answer.getErrorMessage()).isEmpty();
    return answer.getInferResponse();
  }

  private static Answer http(boolean json, int port, String model, String version, String id, List<Input> inputs,
      List<Output> outputs) throws Exception {
    BinaryInferBody body = new BinaryInferBody().id(id);
    for (Input input : inputs) {
      if (json) {
        body.jsonInput(input.name(), input.type().name(), input.shape(), QaValues.json(input.type(), input.values()));
      } else {
        body.binaryInput(input.name(), input.type().name(), input.shape(),
            QaValues.raw(input.type(), input.values()).toByteArray());
      }
    }
    for (Output output : outputs) {
      body.output(output.name(), !json, output.classes());
    }
    String path = "/v2/models/" + model + (version.isEmpty() ? "" : "/versions/" + version) + "/infer";
    HttpResponse<byte[]> response = json
        ? new LocalHttp(port).post(path, body.body(), "Content-Type",
            "application/json")
        : new LocalHttp(port).post(path, body.body(),
            BinaryTensorDataHttpTest.HEADER_LENGTH, Integer.toString(body.json().length),
            "Content-Type", "application/octet-stream");
    BinaryInferBody.Response parsed = BinaryTensorDataHttpTest.parse(response);
    Map<String, Tensor> answered = new LinkedHashMap<>();
    for (JsonNode tensor : parsed.json().path("outputs")) {
      String name = tensor.get("name").asText();
      String datatype = tensor.get("datatype").asText();
      DataType type = DataType.valueOf(datatype);
      long[] shape = new long[tensor.get("shape").size()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = tensor.get("shape").get(d).asLong();
      }
      byte[] binary = parsed.binaryOutputs().get(name);
      if (classes(outputs, name)) {
        List<String> classes = new ArrayList<>();
        if (binary != null) {
          splitBytes(ByteString.copyFrom(binary)).forEach(element -> classes.add(element.toStringUtf8()));
        } else {
          tensor.get("data").forEach(element -> classes.add(element.asText()));
        }
        answered.put(name, new Tensor(datatype, shape, null, classes));
      } else {
        long[] values = binary != null ? QaValues.fromRaw(type, ByteString.copyFrom(binary))
            : QaValues.fromJson(type, tensor.get("data"));
        answered.put(name, new Tensor(datatype, shape, values, null));
      }
    }
    JsonNode header = parsed.json();
    return new Answer(header.path("model_name").asText(), header.path("model_version").asText(),
        header.path("id").asText(), answered);
  }

  private static boolean classes(List<Output> outputs, String name) {
    return outputs.stream().anyMatch(output -> output.name().equals(name) && output.classes() > 0);
  }

  private static List<ByteString> splitBytes(ByteString serialized) {
    List<ByteString> elements = new ArrayList<>();
    ByteBuffer in = serialized.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      int length = in.getInt();
      byte[] element = new byte[length];
      in.get(element);
      elements.add(ByteString.copyFrom(element));
    }
    return elements;
  }

  private static InferTensorContents typed(Input input) {
    InferTensorContents contents = QaValues.typed(input.type(), input.values());
    if (contents == null) {
      throw new IllegalArgumentException("input '" + input.name() + "' typed contents of " + input.type()
          + " (expected: a datatype with a typed field; see carries())");
    }
    return contents;
  }
}
