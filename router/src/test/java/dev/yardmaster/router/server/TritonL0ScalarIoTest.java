package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.stub;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelOutput;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_scalar_io} ({@code scalar_test.py} and its {@code test.sh}) on the
 * models of {@code gen_qa_ort_scalar_models.py}: FP32 identities whose ONNX input and output are
 * scalars (rank 0), served without batching with config dims [1] and [1, 1]. As Triton's ONNX
 * Runtime backend, a request sends the one element in the config's shape, the model gets a scalar
 * and the answer comes back in the config's shape; config dims other than 1s fail the model's
 * load naming the tensor. The request bytes are little-endian FP32, the wire order Triton's
 * {@code qa/L0_big_endian} keeps on every host.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0ScalarIoTest extends ServedRepositoryTest {

  private static final String ONE_DIM = "onnx_scalar_1dim";
  private static final String TWO_DIM = "onnx_scalar_2dim";
  /** test.sh's second start, config dims sed-edited to [2]. */
  private static final String DIMS_TWO = "onnx_scalar_dims_2";
  /** The scalar model with no config.pbtxt: its config is auto-completed from the ONNX model. */
  private static final String NO_CONFIG = "onnx_scalar_no_config";
  /** 1.0f as little-endian bytes. */
  private static final ByteString ONE = ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3f});

  @BeforeAll
  static void startServer() throws Exception {
    TritonQaModels.writeScalarIdentity(repository, ONE_DIM, 1);
    TritonQaModels.writeScalarIdentity(repository, TWO_DIM, 1, 1);
    TritonQaModels.writeScalarIdentity(repository, DIMS_TWO, 2);
    OnnxGraphBuilder.write(OnnxGraphBuilder.graph(NO_CONFIG).input("INPUT", TensorProto.DataType.FLOAT)
        .output("OUTPUT", TensorProto.DataType.FLOAT).identity("INPUT", "OUTPUT").build(),
        repository.resolve(NO_CONFIG).resolve("1").resolve("model.onnx"));
    serve();
  }

  // scalar_test.py test_scalar_io: np.asarray([1]) to onnx_scalar_1dim and [[1]] to
  // onnx_scalar_2dim over gRPC; the output equals the input, in the input's shape.
  @Test
  void scalarModelsAnswerInTheConfigShapeOverGrpc() {
    for (String model : new String[] {ONE_DIM, TWO_DIM}) {
      long[] shape = model.equals(ONE_DIM) ? new long[] {1} : new long[] {1, 1};

      ModelInferResponse answer = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(model)
          .addInputs(tensor("INPUT", "FP32", shape)).addRawInputContents(ONE).build());

      assertThat(answer.getRawOutputContents(0)).as(model).isEqualTo(ONE);
      assertThat(answer.getOutputs(0).getShapeList()).as(model).containsExactly(box(shape));
    }
  }

  // The same over HTTP with JSON tensors (Triton's test sends gRPC only).
  @Test
  void scalarModelsAnswerInTheConfigShapeOverHttpJson() throws Exception {
    HttpResponse<String> answer = httpInfer(server.httpPort(), TWO_DIM,
        "{\"inputs\":[{\"name\":\"INPUT\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[[2.5]]}]}");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"shape\":[1,1],\"data\":[2.5]");
  }

  // The config's shape is what a request must send, as for any model: two elements are refused
  // naming the input, and the server keeps serving.
  @Test
  void aRequestOfMoreThanOneElementIsRefusedNamingTheInput() {
    Status status = TritonRequests.grpcError(channel, ModelInferRequest.newBuilder().setModelName(ONE_DIM)
        .addInputs(tensor("INPUT", "FP32", 2)).addRawInputContents(ONE.concat(ONE)).build());

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("input 'INPUT' shape: [2] (expected: [1])");
    assertThat(grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(ONE_DIM)
        .addInputs(tensor("INPUT", "FP32", 1)).addRawInputContents(ONE).build()).getRawOutputContents(0))
        .isEqualTo(ONE);
  }

  // test.sh: with dims [2] the model must fail to load ("scalar tensor 'INPUT', should only
  // provide 1 in the model configuration ... provided: [2]"); here it is listed UNAVAILABLE with
  // the reason, naming both tensors, while the other models serve.
  @Test
  void configDimsOtherThanOnesFailTheLoadNamingTheScalarTensor() {
    ModelIndex row = TritonRequests.indexRow(channel, DIMS_TWO);

    assertThat(row.getState()).isEqualTo("UNAVAILABLE");
    assertThat(row.getReason()).contains("input 'INPUT' dims: [2]", "output 'OUTPUT' dims: [2]", "scalar");
  }

  // Triton's AutoCompleteIO: a scalar tensor of a model that does not batch gets dims [1] and no
  // reshape; the model then serves as onnx_scalar_1dim does.
  @Test
  void autoCompleteGivesAScalarTensorDimsOne() {
    ModelConfig config = stub(channel).modelConfig(ModelConfigRequest.newBuilder().setName(NO_CONFIG).build()).getConfig();

    assertThat(config.getMaxBatchSize()).isZero();
    assertThat(config.getInputList()).extracting(ModelInput::getDimsList, ModelInput::hasReshape)
        .containsExactly(tuple(List.of(1L), false));
    assertThat(config.getOutputList()).extracting(ModelOutput::getDimsList, ModelOutput::hasReshape)
        .containsExactly(tuple(List.of(1L), false));
    assertThat(grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(NO_CONFIG)
        .addInputs(tensor("INPUT", "FP32", 1)).addRawInputContents(ONE).build()).getRawOutputContents(0))
        .isEqualTo(ONE);
  }

  private static Long[] box(long[] shape) {
    return Arrays.stream(shape).boxed().toArray(Long[]::new);
  }
}
