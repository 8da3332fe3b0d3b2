package dev.yardmaster.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.testsupport.Fp32Raw;
import dev.yardmaster.router.testsupport.Http11;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side checks of the KServe v2 / Triton protocol on the demo model {@code add_sub}, written
 * only against the wire (generated stubs and plain HTTP). Subclasses point them at a server:
 * Yardmaster itself, and the real Triton image when Docker is present, which is what proves the
 * wire-compatibility claim: the same assertions hold on both.
 */
abstract class KServeConformanceChecks {
  static final String MODEL = "add_sub";
  static final int WIDTH = 16;

  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
  private final HttpClient http = Http11.client();

  /** host:port of the server's gRPC endpoint. */
  abstract String grpcTarget();

  /** e.g. {@code http://127.0.0.1:8000}. */
  abstract String httpBase();

  @BeforeEach
  void openChannel() {
    channel = NettyChannelBuilder.forTarget(grpcTarget()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeChannel() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void serverIsLiveAndReadyAndModelIsReady() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build()).getReady()).isTrue();
  }

  @Test
  void modelMetadataDescribesInputsWithBatchDimension() {
    ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build());
    assertThat(metadata.getName()).isEqualTo(MODEL);
    assertThat(metadata.getVersionsList()).contains("1");
    assertThat(metadata.getInputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
        .containsExactlyInAnyOrder("INPUT0", "INPUT1");
    ModelMetadataResponse.TensorMetadata input0 = metadata.getInputs(0);
    assertThat(input0.getDatatype()).isEqualTo("FP32");
    assertThat(input0.getShapeList()).containsExactly(-1L, (long) WIDTH);
  }

  @Test
  void rawInferAddsAndSubtractsAndEchoesId() {
    float[] a = ramp(1f);
    float[] b = ramp(0.5f);
    ModelInferResponse response = stub.modelInfer(rawRequest("req-42", a, b).build());
    assertThat(response.getId()).isEqualTo("req-42");
    assertThat(response.getModelName()).isEqualTo(MODEL);
    assertThat(response.getOutputsList()).hasSize(2);
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      assertThat(output.getDatatype()).isEqualTo("FP32");
      assertThat(output.getShapeList()).containsExactly(1L, (long) WIDTH);
      float[] values = floats(response.getRawOutputContents(i));
      for (int j = 0; j < WIDTH; j++) {
        float expected = output.getName().equals("OUTPUT0") ? a[j] + b[j] : a[j] - b[j];
        assertThat(values[j]).isEqualTo(expected);
      }
    }
  }

  @Test
  void typedContentsInferGivesTheSameAnswer() {
    float[] a = ramp(2f);
    float[] b = ramp(1f);
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(MODEL);
    request.addInputs(typedInput("INPUT0", a)).addInputs(typedInput("INPUT1", b));
    request.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("OUTPUT0"));
    ModelInferResponse response = stub.modelInfer(request.build());
    assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
        .containsExactly("OUTPUT0");
    float[] sum = response.getRawOutputContentsCount() > 0
        ? floats(response.getRawOutputContents(0))
        : toArray(response.getOutputs(0).getContents().getFp32ContentsList());
    assertThat(sum[3]).isEqualTo(a[3] + b[3]);
  }

  @Test
  void requestedOutputSubsetIsHonoured() {
    ModelInferRequest.Builder request = rawRequest("", ramp(1f), ramp(1f));
    request.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("OUTPUT1"));
    ModelInferResponse response = stub.modelInfer(request.build());
    assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
        .containsExactly("OUTPUT1");
    assertThat(floats(response.getRawOutputContents(0))).containsOnly(0f);
  }

  @Test
  void unknownModelIsNotFound() {
    ModelInferRequest request = rawRequest("", ramp(1f), ramp(1f)).setModelName("no_such_model").build();
    assertThatThrownBy(() -> stub.modelInfer(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void wrongShapeIsInvalidArgumentNamingTheInput() {
    ModelInferRequest.Builder request = rawRequest("", ramp(1f), ramp(1f));
    request.setInputs(0, request.getInputs(0).toBuilder().clearShape().addShape(1).addShape(8));
    assertThatThrownBy(() -> stub.modelInfer(request.build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("INPUT0");
        });
    // and the server keeps serving
    assertThat(stub.modelInfer(rawRequest("", ramp(1f), ramp(1f)).build()).getOutputsCount()).isEqualTo(2);
  }

  @Test
  void streamInferAnswersEachRequest() throws InterruptedException {
    List<ModelStreamInferResponse> responses = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .modelStreamInfer(new StreamObserver<>() {
          @Override
          public void onNext(ModelStreamInferResponse value) {
            synchronized (responses) {
              responses.add(value);
            }
          }

          @Override
          public void onError(Throwable t) {
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        });
    for (int i = 0; i < 3; i++) {
      requests.onNext(rawRequest("s" + i, ramp(i), ramp(1f)).build());
    }
    requests.onCompleted();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(responses).hasSize(3);
    assertThat(responses).allSatisfy(r -> assertThat(r.getErrorMessage()).isEmpty());
    assertThat(responses).extracting(r -> r.getInferResponse().getId())
        .containsExactlyInAnyOrder("s0", "s1", "s2");
  }

  @Test
  void httpHealthMetadataAndJsonInfer() throws Exception {
    assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/" + MODEL + "/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> metadata = get("/v2/models/" + MODEL);
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).contains("\"INPUT0\"").contains("FP32");

    String body = "{\"id\":\"h1\",\"inputs\":["
        + "{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":" + json(ramp(1f)) + "},"
        + "{\"name\":\"INPUT1\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":" + json(ramp(1f)) + "}],"
        + "\"outputs\":[{\"name\":\"OUTPUT0\"}]}";
    HttpResponse<String> infer = post("/v2/models/" + MODEL + "/infer", body);
    assertThat(infer.statusCode()).isEqualTo(200);
    assertThat(infer.body()).contains("\"id\":\"h1\"").contains("OUTPUT0").doesNotContain("OUTPUT1");
    assertThat(infer.body().replace(" ", "")).contains("[0.0,2.0,4.0,6.0");
  }

  @Test
  void httpErrorsAreJsonWithTheRightCode() throws Exception {
    HttpResponse<String> unknown = post("/v2/models/no_such_model/infer", "{\"inputs\":[]}");
    assertThat(unknown.statusCode()).isIn(400, 404);
    assertThat(unknown.body()).contains("\"error\"");
    HttpResponse<String> garbage = post("/v2/models/" + MODEL + "/infer", "{not json");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("\"error\"");
  }

  @Test
  void httpBinaryTensorDataInAndOut() throws Exception {
    // Triton's binary tensor data extension, as tritonclient.http sends it by default
    String binaryInput = "\"shape\":[1,16],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":64}}";
    String header = "{\"inputs\":[{\"name\":\"INPUT0\"," + binaryInput + ",{\"name\":\"INPUT1\"," + binaryInput + "],"
        + "\"outputs\":[{\"name\":\"OUTPUT0\",\"parameters\":{\"binary_data\":true}},"
        + "{\"name\":\"OUTPUT1\",\"parameters\":{\"binary_data\":false}}]}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(json);
    body.writeBytes(bytes(ramp(1f)).toByteArray());
    body.writeBytes(bytes(ramp(0.5f)).toByteArray());
    HttpResponse<byte[]> infer = postBinary(MODEL, body.toByteArray(), json.length);

    assertThat(infer.statusCode()).isEqualTo(200);
    int headerLength = Integer.parseInt(infer.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    String answer = new String(infer.body(), 0, headerLength, StandardCharsets.UTF_8).replace(" ", "");
    assertThat(answer).contains("\"binary_data_size\":64").contains("[0.0,0.5,1.0,1.5");
    assertThat(infer.body()).hasSize(headerLength + 64);
    assertThat(floats(ByteString.copyFrom(infer.body(), headerLength, 64))).containsExactly(ramp(1.5f));
  }

  @Test
  void httpRawBinaryRequestIsTheDataOfTheModelsOneInput() throws Exception {
    // Inference-Header-Content-Length: 0: no JSON, the body is the one input's data, shape from the config
    String oneInput = "higgs_mlp_v1";
    ByteString row = bytes(new float[28]);

    HttpResponse<byte[]> infer = postBinary(oneInput, row.toByteArray(), 0);

    assertThat(infer.statusCode()).as(new String(infer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    int headerLength = Integer.parseInt(infer.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    String answer = new String(infer.body(), 0, headerLength, StandardCharsets.UTF_8).replace(" ", "");
    assertThat(answer).contains("\"shape\":[1,1]").contains("\"binary_data_size\":4");
    assertThat(infer.body()).hasSize(headerLength + 4);
    HttpResponse<byte[]> twoInputs = postBinary(MODEL, bytes(ramp(1f)).toByteArray(), 0);
    assertThat(twoInputs.statusCode()).isEqualTo(400);
    assertThat(new String(twoInputs.body(), StandardCharsets.UTF_8)).contains("\"error\"");
  }

  /** Posts {@code body} to a model's infer endpoint with the given Inference-Header-Content-Length. */
  private HttpResponse<byte[]> postBinary(String model, byte[] body, int headerLength) throws Exception {
    URI uri = URI.create(httpBase() + "/v2/models/" + model + "/infer");
    return http.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Inference-Header-Content-Length", Integer.toString(headerLength))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void classificationAnswersTheTopClassesAsValueColonIndex() {
    // Triton's classification extension: OUTPUT0 = 1.5 * i, so the top two are elements 15 and 14
    ModelInferRequest request = rawRequest("c1", ramp(1f), ramp(0.5f))
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("OUTPUT0")
            .putParameters("classification", InferParameter.newBuilder().setInt64Param(2).build()))
        .build();

    ModelInferResponse response = stub.modelInfer(request);

    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("BYTES");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 2L);
    ByteBuffer classes = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<String> strings = new ArrayList<>();
    while (classes.hasRemaining()) {
      byte[] element = new byte[classes.getInt()];
      classes.get(element);
      strings.add(new String(element, StandardCharsets.UTF_8));
    }
    assertThat(strings).containsExactly("22.500000:15", "21.000000:14");
  }

  @Test
  void httpClassificationAnswersJsonStrings() throws Exception {
    String body = "{\"inputs\":["
        + "{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":" + json(ramp(1f)) + "},"
        + "{\"name\":\"INPUT1\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":" + json(ramp(0.5f)) + "}],"
        + "\"outputs\":[{\"name\":\"OUTPUT0\",\"parameters\":{\"classification\":3}}]}";
    HttpResponse<String> infer = post("/v2/models/" + MODEL + "/infer", body);

    assertThat(infer.statusCode()).isEqualTo(200);
    assertThat(infer.body().replace(" ", "")).contains("\"datatype\":\"BYTES\"").contains("\"shape\":[1,3]")
        .contains("\"data\":[\"22.500000:15\",\"21.000000:14\",\"19.500000:13\"]");
  }

  // --- helpers

  static float[] ramp(float scale) {
    float[] values = new float[WIDTH];
    for (int i = 0; i < WIDTH; i++) {
      values[i] = i * scale;
    }
    return values;
  }

  static ModelInferRequest.Builder rawRequest(String id, float[] a, float[] b) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(MODEL).setId(id);
    request.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
        .setName("INPUT0").setDatatype("FP32").addShape(1).addShape(WIDTH));
    request.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
        .setName("INPUT1").setDatatype("FP32").addShape(1).addShape(WIDTH));
    request.addRawInputContents(bytes(a)).addRawInputContents(bytes(b));
    return request;
  }

  static ModelInferRequest.InferInputTensor typedInput(String name, float[] values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    return ModelInferRequest.InferInputTensor.newBuilder()
        .setName(name).setDatatype("FP32").addShape(1).addShape(values.length).setContents(contents).build();
  }

  static ByteString bytes(float[] values) {
    return Fp32Raw.bytes(values);
  }

  static float[] floats(ByteString raw) {
    return Fp32Raw.floats(raw);
  }

  static float[] toArray(List<Float> list) {
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i);
    }
    return values;
  }

  static String json(float[] values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      out.append(i == 0 ? "" : ",").append(values[i]);
    }
    return out.append(']').toString();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(httpBase() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(httpBase() + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
