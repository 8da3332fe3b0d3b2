package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.yardmaster.router.testsupport.RepositoryServers;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input loses nothing, over gRPC and tried at random: valid ModelInfer requests to real ONNX
 * Runtime models with their shapes, datatypes, contents, names, versions, requested outputs and
 * parameters changed at random. Every call ends OK or with a status that names a client problem
 * (INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED, UNAVAILABLE) and a description, never UNKNOWN or
 * INTERNAL, and the server answers a valid request after them; through the router the same, with
 * the endpoint never ejected for a caller's mistake. Seeded, so a failure repeats.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutatedInferRequestsTest {

  private static final long SEED = 7_12_2026L;
  private static final int REQUESTS = 800;
  private static final Set<Status.Code> CLIENT_PROBLEMS = Set.of(Status.Code.INVALID_ARGUMENT,
      Status.Code.NOT_FOUND, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE);
  private static final String[] DATATYPES = {"FP32", "FP16", "FP64", "INT64", "INT32", "INT8", "UINT8", "BOOL",
      "BYTES", "UINT64", "BF16", "FP8", "", "fp32"};
  private static final long[] DIMS = {-2, -1, 0, 1, 2, 3, 16, 28, 64, 65, 1L << 40, Long.MAX_VALUE};
  private static final String[] VERSIONS = {"", "1", "2", "0", "-1", "abc", "99999999999999999999"};

  @TempDir static Path repository;
  static YardmasterServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    server = RepositoryServers.serveDemoAndIdentityModels(repository);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.stop();
  }

  @Test
  void mutatedRequestsEndOkOrWithAClientStatusNamingTheProblemAndTheServerKeepsServing() {
    TreeMap<String, Integer> outcomes = sendMutations(MutatedInferRequestsTest::stub);

    assertThat(outcomes).as("outcomes").containsKeys("OK", "INVALID_ARGUMENT");
  }

  @Test
  void throughTheRouterTheSameHoldsAndNoneIsHeldAgainstTheEndpoint(@TempDir Path dir) throws Exception {
    try (RouterFixture router = RouterFixture.start(dir, """
        server: {grpc_port: 0, metrics_port: 0}
        pools:
          - name: cpu
            accelerator: cpu
            price_per_hour: 0.17
            endpoints: ["127.0.0.1:%d"]
            outlier_detection: {consecutive_failures: 1}   # one failure ejects
        """.formatted(server.grpcPort()))) {
      TreeMap<String, Integer> outcomes =
          sendMutations(() -> router.stub().withDeadlineAfter(10, TimeUnit.SECONDS));

      assertThat(outcomes).as("outcomes").containsKeys("OK", "INVALID_ARGUMENT");
      assertThat(router.pool("cpu").describeEndpoints()).isEqualTo("1 endpoints, 0 ejected, 0 unhealthy");
    }
  }

  /** Sends the seeds, then {@value #REQUESTS} mutations of them, then a seed again; the outcomes by status. */
  private static TreeMap<String, Integer> sendMutations(Supplier<GRPCInferenceServiceBlockingStub> stubs) {
    List<ModelInferRequest> seeds = seeds();
    for (ModelInferRequest seed : seeds) {
      stubs.get().modelInfer(seed); // each seed is valid
    }
    Random random = new Random(SEED);
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      ModelInferRequest request = mutate(seeds.get(random.nextInt(seeds.size())), random);
      Status.Code code = Status.Code.OK;
      String description = "";
      try {
        stubs.get().modelInfer(request);
      } catch (StatusRuntimeException e) {
        code = e.getStatus().getCode();
        description = e.getStatus().getDescription();
      }
      outcomes.merge(code.name(), 1, Integer::sum);
      if (code != Status.Code.OK) {
        assertThat(code).as("request %d: %s -> %s", i, request, description).isIn(CLIENT_PROBLEMS);
        assertThat(description).as("request %d: %s", i, request).isNotBlank();
      }
    }
    assertThat(stubs.get().modelInfer(seeds.get(0)).getOutputsCount()).as("served after").isEqualTo(1);
    return outcomes;
  }

  private static GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static List<ModelInferRequest> seeds() {
    String higgsInput = DemoModels.mlp(DemoModels.HIGGS_MLP_V1).inputName();
    ModelInferRequest higgs = ModelInferRequest.newBuilder().setModelName(DemoModels.HIGGS_MLP_V1).setId("h")
        .addInputs(InferInputTensor.newBuilder().setName(higgsInput).setDatatype("FP32").addShape(2).addShape(28))
        .addRawInputContents(ByteString.copyFrom(new byte[2 * 28 * Float.BYTES])).build();
    InferInputTensor.Builder row = InferInputTensor.newBuilder().setDatatype("FP32").addShape(1)
        .addShape(DemoModels.ADD_SUB_WIDTH);
    InferTensorContents.Builder ones = InferTensorContents.newBuilder();
    for (int i = 0; i < DemoModels.ADD_SUB_WIDTH; i++) {
      ones.addFp32Contents(1f);
    }
    ModelInferRequest addSub = ModelInferRequest.newBuilder().setModelName(DemoModels.ADD_SUB)
        .addInputs(row.clone().setName("INPUT0").setContents(ones))
        .addInputs(row.clone().setName("INPUT1").setContents(ones))
        .addOutputs(InferRequestedOutputTensor.newBuilder().setName("OUTPUT1")).build();
    ModelInferRequest strings = ModelInferRequest.newBuilder()
        .setModelName(DemoModels.identityModelName(DataType.BYTES))
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("BYTES").addShape(1).addShape(2)
            .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("yard"))
                .addBytesContents(ByteString.copyFromUtf8("master"))))
        .build();
    ModelInferRequest longs = ModelInferRequest.newBuilder()
        .setModelName(DemoModels.identityModelName(DataType.INT64))
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("INT64").addShape(2).addShape(1))
        .addRawInputContents(ByteString.copyFrom(new byte[2 * Long.BYTES])).build();
    return List.of(higgs, addSub, strings, longs);
  }

  /** One to three changes of the kinds a broken client makes. */
  private static ModelInferRequest mutate(ModelInferRequest seed, Random random) {
    ModelInferRequest.Builder request = seed.toBuilder();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      int input = request.getInputsCount() == 0 ? -1 : random.nextInt(request.getInputsCount());
      switch (random.nextInt(10)) {
        case 0 -> {
          if (input >= 0) {
            request.getInputsBuilder(input).clearShape();
            for (int d = random.nextInt(4); d > 0; d--) {
              request.getInputsBuilder(input).addShape(DIMS[random.nextInt(DIMS.length)]);
            }
          }
        }
        case 1 -> {
          if (input >= 0) {
            request.getInputsBuilder(input).setDatatype(DATATYPES[random.nextInt(DATATYPES.length)]);
          }
        }
        case 2 -> {
          if (request.getRawInputContentsCount() > 0) {
            int at = random.nextInt(request.getRawInputContentsCount());
            request.setRawInputContents(at, ByteString.copyFrom(new byte[random.nextInt(600)]));
          } else {
            request.addRawInputContents(ByteString.copyFrom(new byte[random.nextInt(100)]));
          }
        }
        case 3 -> {
          if (input >= 0) {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (int i = random.nextInt(70); i > 0; i--) {
              switch (random.nextInt(4)) {
                case 0 -> contents.addFp32Contents(random.nextFloat());
                case 1 -> contents.addInt64Contents(random.nextLong());
                case 2 -> contents.addBytesContents(ByteString.copyFromUtf8("x"));
                default -> contents.addBoolContents(random.nextBoolean());
              }
            }
            request.getInputsBuilder(input).setContents(contents);
          }
        }
        case 4 -> {
          if (input >= 0) {
            request.getInputsBuilder(input).setName(random.nextBoolean() ? "" : "INPUT9");
          }
        }
        case 5 -> {
          if (input >= 0) {
            request.addInputs(request.getInputs(input)); // the same input twice
          }
        }
        case 6 -> {
          if (input >= 0) {
            request.removeInputs(input);
          }
        }
        case 7 -> request.setModelVersion(VERSIONS[random.nextInt(VERSIONS.length)]);
        case 8 -> request.addOutputs(InferRequestedOutputTensor.newBuilder()
            .setName(random.nextBoolean() ? "OUTPUT9" : "OUTPUT0"));
        default -> request.putParameters(random.nextBoolean() ? "priority" : "timeout",
            random.nextBoolean() ? InferParameter.newBuilder().setInt64Param(random.nextLong()).build()
                : InferParameter.newBuilder().setStringParam("soon").build());
      }
    }
    return request.build();
  }
}
