package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelWarmup;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.LocalHttp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC, HTTP and ONNX Runtime: a model whose config warms it up serves, and its config
 * (ModelConfig RPC, {@code GET /v2/models/<m>/config}) shows {@code model_warmup} as given, as
 * Triton's does; a load whose warmup file is missing is a 400 naming it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelWarmupConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repository;
  private YardmasterServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void configOverGrpcAndHttpShowsModelWarmupAsGiven() throws Exception {
    ModelWarmup warmup = ModelWarmup.newBuilder().setName("ones").setBatchSize(2).setCount(3)
        .putInputs("INPUT0", input().setInputDataFile("ones.bin").build())
        .putInputs("INPUT1", input().setZeroData(true).build())
        .build();
    AddSubRepository.writeModel(repository, AddSubRepository.MODEL,
        DemoModels.config(AddSubRepository.MODEL, true).toBuilder().addModelWarmup(warmup).build());
    Path file = repository.resolve(AddSubRepository.MODEL).resolve("warmup").resolve("ones.bin");
    Files.createDirectories(file.getParent());
    Files.write(file, ones(AddSubRepository.WIDTH));
    AddSubRepository.writeModel(repository, AddSubRepository.SPARE, DemoModels.config(AddSubRepository.MODEL, true)
        .toBuilder().setName(AddSubRepository.SPARE).addModelWarmup(warmup).build());

    server = AddSubRepository.serve(repository);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    LocalHttp http = new LocalHttp(server.httpPort());

    ModelConfig config = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .modelConfig(ModelConfigRequest.newBuilder().setName(AddSubRepository.MODEL).build()).getConfig();
    assertThat(config.getModelWarmupList()).containsExactly(warmup);
    JsonNode json = JSON.readTree(http.get("/v2/models/add_sub/config").body());
    assertThat(json.get("model_warmup").toString()).isEqualTo("[{\"name\":\"ones\",\"batch_size\":2,\"inputs\":{"
        + "\"INPUT0\":{\"data_type\":\"TYPE_FP32\",\"dims\":[16],\"input_data_file\":\"ones.bin\"},"
        + "\"INPUT1\":{\"data_type\":\"TYPE_FP32\",\"dims\":[16],\"zero_data\":true}},\"count\":3}]");
    assertThat(http.post("/v2/models/add_sub/infer", AddSubRepository.jsonRequest(1)).statusCode()).isEqualTo(200);

    HttpResponse<String> load = http.post("/v2/repository/models/spare/load", "");
    assertThat(load.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(load.body()).path("error").asText()).isEqualTo("model 'spare' version 1 model_warmup "
        + "'ones' input 'INPUT0': input_data_file 'ones.bin': '"
        + repository.resolve("spare").resolve("warmup").resolve("ones.bin")
        + "' not found (expected: a file under the model's warmup/ directory)");
  }

  private static ModelWarmup.Input.Builder input() {
    return ModelWarmup.Input.newBuilder().setDataType(DataType.TYPE_FP32).addDims(AddSubRepository.WIDTH);
  }

  private static byte[] ones(int count) {
    ByteBuffer buffer = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      buffer.putFloat(1f);
    }
    return buffer.array();
  }
}
