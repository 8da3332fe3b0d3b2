package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelRepositoryParameter;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC and ONNX Runtime: a model of shape [batch, 2, 2] served with {@code dims: [4]} and
 * {@code reshape: {shape: [2, 2]}} takes and answers [batch, 4], as Triton's reshape does; a
 * config-less model of shape [batch] is served as [batch, 1].
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcReshapeTest {

  private static final String MODEL = "square";
  /** No config: one value per row, auto-completed as Triton does to dims [1] with an empty reshape. */
  private static final String PER_ROW = "per_row";

  @TempDir Path repository;
  private YardmasterServer server;
  private ManagedChannel channel;
  private GRPCInferenceServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    OnnxGraphBuilder.write(OnnxGraphBuilder.graph(MODEL)
        .input("x", TensorProto.DataType.FLOAT, -1, 2, 2)
        .output("y", TensorProto.DataType.FLOAT, -1, 2, 2)
        .identity("x", "y").build(), repository.resolve(MODEL).resolve("1").resolve("model.onnx"));
    Files.writeString(repository.resolve(MODEL).resolve("config.pbtxt"), """
        max_batch_size: 8
        input [ { name: "x" data_type: TYPE_FP32 dims: [ 4 ] reshape: { shape: [ 2, 2 ] } } ]
        output [ { name: "y" data_type: TYPE_FP32 dims: [ 4 ] reshape: { shape: [ 2, 2 ] } } ]
        """);
    OnnxGraphBuilder.write(OnnxGraphBuilder.graph(PER_ROW)
        .input("x", TensorProto.DataType.FLOAT, -1)
        .output("y", TensorProto.DataType.FLOAT, -1)
        .identity("x", "y").build(), repository.resolve(PER_ROW).resolve("1").resolve("model.onnx"));
    server = AddSubRepository.serve(repository, RepositoryOptions.loadAllModels());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.stop();
  }

  @Test
  void clientsSeeDimsAndTheModelSeesReshapeShape() {
    assertThat(stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build()).getInputs(0)
        .getShapeList()).containsExactly(-1L, 4L);

    ModelInferResponse response = stub.modelInfer(request(3));

    assertThat(response.getOutputs(0).getShapeList()).containsExactly(3L, 4L);
    assertThat(response.getRawOutputContents(0)).isEqualTo(request(3).getRawInputContents(0));
  }

  @Test
  void aConfigLessModelOfOneValuePerRowTakesAndAnswersDimsOne() {
    ByteBuffer raw = ByteBuffer.allocate(3 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2)
        .putFloat(3);
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(PER_ROW)
        .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(3).addShape(1))
        .addRawInputContents(ByteString.copyFrom(raw.array())).build();

    ModelInferResponse response = stub.modelInfer(request);

    assertThat(response.getOutputs(0).getShapeList()).containsExactly(3L, 1L);
    assertThat(response.getRawOutputContents(0)).isEqualTo(request.getRawInputContents(0));
  }

  @Test
  void aReshapeThatDisagreesWithTheModelFailsToLoadNamingIt() {
    String override = "{\"max_batch_size\": 8, "
        + "\"input\": [{\"name\": \"x\", \"data_type\": \"TYPE_FP32\", \"dims\": [4], \"reshape\": {\"shape\": [4]}}], "
        + "\"output\": [{\"name\": \"y\", \"data_type\": \"TYPE_FP32\", \"dims\": [4], \"reshape\": {\"shape\": [2, 3]}}]}";

    assertThatThrownBy(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL)
        .putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam(override).build()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo(String.join("\n",
              "model 'square' load config override: output 'y' reshape.shape: [2, 3] (expected: as many elements "
                  + "as dims [4], with as many -1 dims)",
              "model 'square' load config override: input 'x' reshape.shape: [4] (expected: [2, 2] as in "
                  + "1/model.onnx, less its batch dimension)",
              "model 'square' load config override: output 'y' reshape.shape: [2, 3] (expected: [2, 2] as in "
                  + "1/model.onnx, less its batch dimension)"));
        });
    assertThat(stub.modelInfer(request(1)).getOutputs(0).getShapeList()).containsExactly(1L, 4L);
  }

  private static ModelInferRequest request(int rows) {
    ByteBuffer raw = ByteBuffer.allocate(rows * 4 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * 4; i++) {
      raw.putFloat(i * 0.5f);
    }
    return ModelInferRequest.newBuilder().setModelName(MODEL)
        .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(rows).addShape(4))
        .addRawInputContents(ByteString.copyFrom(raw.array())).build();
  }
}
