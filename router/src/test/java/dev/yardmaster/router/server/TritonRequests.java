package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import dev.yardmaster.router.testsupport.Fp32Raw;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the ports of Triton's qa tests share: the models they run on (written by project code) and
 * calls to a server's gRPC and HTTP ports that answer the status, or the HTTP code, and the message.
 */
final class TritonRequests {

  static final String ADD_SUB = DemoModels.ADD_SUB;
  static final String FP32 = DemoModels.identityModelName(DataType.FP32);
  static final String STRINGS = DemoModels.identityModelName(DataType.BYTES);
  /** INPUT + INITIALIZER, the second an optional input, like Triton's {@code input_optional}. */
  static final String OPTIONAL = DemoModels.ADD_WITH_INITIALIZER;

  private TritonRequests() {}

  /** add_sub (batching, max_batch_size 64), identity_fp32 and identity_bytes ([-1,-1], no batching), add_with_initializer. */
  static void writeModels(Path repository) throws IOException {
    write(repository, ADD_SUB, DemoModels.config(ADD_SUB, false));
    write(repository, FP32, DemoModels.identityConfig(DataType.FP32));
    write(repository, STRINGS, DemoModels.identityConfig(DataType.BYTES));
    write(repository, OPTIONAL, DemoModels.addWithInitializerConfig());
  }

  private static void write(Path repository, String name, ModelConfig config) throws IOException {
    write(repository, name, name, config);
  }

  /** Writes the ONNX model of {@code graph} (a demo or identity model) under {@code name} with {@code config}. */
  static void write(Path repository, String name, String graph, ModelConfig config) throws IOException {
    Path dir = repository.resolve(name);
    OnnxGraphBuilder.write(DemoModels.model(graph), dir.resolve("1").resolve("model.onnx"));
    Files.writeString(dir.resolve("config.pbtxt"), TextFormat.printer().printToString(config));
  }

  static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(ManagedChannel channel) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The answers of one ModelStreamInfer that sends {@code requests} in order, then half-closes. */
  static List<ModelStreamInferResponse> streamAnswers(ManagedChannel channel, ModelInferRequest... requests)
      throws Exception {
    StreamCollector collector = new StreamCollector();
    StreamObserver<ModelInferRequest> stream = GRPCInferenceServiceGrpc.newStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).modelStreamInfer(collector);
    for (ModelInferRequest request : requests) {
      stream.onNext(request);
    }
    stream.onCompleted();
    collector.ended().get(30, TimeUnit.SECONDS);
    return collector.answers();
  }

  /** The repository index row of {@code model} (its state and, when it failed to load, the reason). */
  static ModelIndex indexRow(ManagedChannel channel, String model) {
    return stub(channel).repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList().stream()
        .filter(row -> row.getName().equals(model)).findFirst().orElseThrow();
  }

  /** The status a ModelInfer that must fail ends with. */
  static Status grpcError(ManagedChannel channel, ModelInferRequest request) {
    StatusRuntimeException e = catchThrowableOfType(() -> stub(channel).modelInfer(request),
        StatusRuntimeException.class);
    assertThat(e).as("ModelInfer %s", request).isNotNull();
    return e.getStatus();
  }

  static ModelInferResponse grpcInfer(ManagedChannel channel, ModelInferRequest request) {
    return stub(channel).modelInfer(request);
  }

  static HttpResponse<String> httpInfer(int port, String model, String json) throws IOException, InterruptedException {
    return new LocalHttp(port).post("/v2/models/" + model + "/infer", json);
  }

  static HttpResponse<byte[]> httpInfer(int port, String model, BinaryInferBody body)
      throws IOException, InterruptedException {
    return new LocalHttp(port).post("/v2/models/" + model + "/infer", body.body(),
        BinaryTensorDataHttpTest.HEADER_LENGTH, Integer.toString(body.json().length),
        "Content-Type", "application/octet-stream");
  }

  /** The error of an HTTP answer that must be a 400. */
  static String http400(HttpResponse<?> response) throws IOException {
    Object body = response.body();
    String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) body;
    assertThat(response.statusCode()).as(text).isEqualTo(400);
    return BinaryInferBody.JSON.readTree(text).get("error").asText();
  }

  /** An FP32 input with raw contents given by {@link #raw}. */
  static InferInputTensor.Builder tensor(String name, String datatype, long... shape) {
    InferInputTensor.Builder tensor = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long dim : shape) {
      tensor.addShape(dim);
    }
    return tensor;
  }

  static ByteString raw(int floats) {
    float[] values = new float[floats];
    for (int i = 0; i < floats; i++) {
      values[i] = i;
    }
    return Fp32Raw.bytes(values);
  }

  /** A valid add_sub request of one row, both inputs raw. */
  static ModelInferRequest.Builder addSubRow() {
    return ModelInferRequest.newBuilder().setModelName(ADD_SUB)
        .addInputs(tensor("INPUT0", "FP32", 1, 16)).addInputs(tensor("INPUT1", "FP32", 1, 16))
        .addRawInputContents(raw(16)).addRawInputContents(raw(16));
  }

  /** BYTES elements as Triton serializes them: a 4-byte little-endian length, then the bytes. */
  static ByteString serialized(byte[]... elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] element : elements) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(element.length).array());
      out.writeBytes(element);
    }
    return ByteString.copyFrom(out.toByteArray());
  }

  static byte[][] utf8(String... values) {
    byte[][] elements = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      elements[i] = values[i].getBytes(StandardCharsets.UTF_8);
    }
    return elements;
  }

  static byte[][] repeat(byte[] element, int count) {
    byte[][] elements = new byte[count][];
    java.util.Arrays.fill(elements, element);
    return elements;
  }
}
