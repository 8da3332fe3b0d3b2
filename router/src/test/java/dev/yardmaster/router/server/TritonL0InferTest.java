package dev.yardmaster.router.server;

import static dev.yardmaster.protocol.DataType.BYTES;
import static dev.yardmaster.protocol.DataType.FP16;
import static dev.yardmaster.protocol.DataType.FP32;
import static dev.yardmaster.protocol.DataType.INT16;
import static dev.yardmaster.protocol.DataType.INT32;
import static dev.yardmaster.protocol.DataType.INT64;
import static dev.yardmaster.protocol.DataType.INT8;
import static dev.yardmaster.protocol.DataType.UINT8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.router.server.QaInfer.Answer;
import dev.yardmaster.router.server.QaInfer.Output;
import dev.yardmaster.router.server.QaInfer.Way;
import dev.yardmaster.router.testsupport.LocalHttp;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports of Triton's {@code qa/L0_infer/infer_test.py} (InferTest) for ONNX: the add/sub models of
 * {@code gen_qa_models.py} over every datatype combination Triton generates for ONNX, batching
 * (max_batch_size 8, batches of 1 and 8) and not, each request sent as {@code infer_util.py}'s
 * {@code infer_exact} sends it (gRPC, gRPC streaming, HTTP binary, HTTP JSON except FP16) plus gRPC
 * typed contents; raw outputs, top-3 classes, mixes of the two, output subsets, and the version
 * policies of the five multi-version models. Outputs are compared exactly with the values the
 * test computes. Triton's {@code output0_labels.txt} labels are not compared: the config subset
 * has no {@code label_filename} (README).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0InferTest extends ServedRepositoryTest {

  private static final long[] DIMS = {16};
  private static final int BATCH = 8;
  private static final int CLASSES = AddSubExchange.CLASSES;
  private static final List<Integer> ALL_VERSIONS = List.of(1, 2, 3);
  private static final List<Integer> SWAPPED = List.of(2, 3);


  /** A gen_qa_models.py model: its types, the versions written and the config's version policy. */
  record QaModel(DataType input, DataType output0, DataType output1, List<Integer> versions,
      ModelVersionPolicy policy) {
    /** The version a request without one gets: the latest the policy serves. */
    int defaultVersion() {
      if (policy.hasSpecific()) {
        return Math.toIntExact(policy.getSpecific().getVersions(policy.getSpecific().getVersionsCount() - 1));
      }
      return versions.get(versions.size() - 1);
    }

    /** Versions 2 and 3 are written with swap=True, as in gen_qa_models.py's main. */
    static boolean swapped(int version) {
      return SWAPPED.contains(version);
    }
  }

  private static final List<QaModel> MODELS = List.of(
      single(UINT8, UINT8, UINT8, latest(3)),
      new QaModel(INT8, INT8, INT8, ALL_VERSIONS, latest(1)),
      new QaModel(INT16, INT16, INT16, ALL_VERSIONS, latest(2)),
      new QaModel(INT32, INT32, INT32, ALL_VERSIONS, ModelVersionPolicy.newBuilder()
          .setAll(ModelVersionPolicy.All.getDefaultInstance()).build()),
      single(INT64, INT64, INT64, latest(1)),
      new QaModel(FP16, FP16, FP16, ALL_VERSIONS, specific(1)),
      new QaModel(FP32, FP32, FP32, ALL_VERSIONS, specific(1, 3)),
      single(FP16, FP32, FP32, latest(1)), single(INT32, INT8, INT8, latest(1)),
      single(INT8, INT32, INT32, latest(1)), single(INT32, INT8, INT16, latest(1)),
      single(FP32, UINT8, UINT8, latest(1)), single(UINT8, FP32, FP32, latest(1)),
      single(FP32, UINT8, FP16, latest(1)), single(INT32, FP32, FP32, latest(1)),
      single(FP32, INT32, INT32, latest(1)), single(INT32, FP16, INT16, latest(1)),
      single(BYTES, INT32, INT32, latest(1)), single(BYTES, BYTES, BYTES, latest(1)),
      single(BYTES, INT32, BYTES, latest(1)), single(BYTES, BYTES, INT32, latest(1)),
      single(INT32, BYTES, BYTES, latest(1)), single(INT32, INT32, BYTES, latest(1)),
      single(INT32, BYTES, INT32, latest(1)));

  @BeforeAll
  static void startServer() throws Exception {
    for (QaModel model : MODELS) {
      for (boolean batched : new boolean[] {true, false}) {
        TritonQaModels.writeAddSub(repository, batched, model.input(), model.output0(), model.output1(), DIMS,
            model.versions(), SWAPPED, model.policy());
      }
    }
    serve();
  }

  static Stream<Arguments> rawCases() {
    return Stream.of(
        Arguments.of("test_raw_uuu", MODELS.get(0)), Arguments.of("test_raw_bbb", MODELS.get(1)),
        Arguments.of("test_raw_sss", MODELS.get(2)), Arguments.of("test_raw_iii", MODELS.get(3)),
        Arguments.of("test_raw_lll", MODELS.get(4)), Arguments.of("test_raw_hhh", MODELS.get(5)),
        Arguments.of("test_raw_fff", MODELS.get(6)), Arguments.of("test_raw_hff", MODELS.get(7)),
        Arguments.of("test_raw_ibb", MODELS.get(8)), Arguments.of("test_raw_bii", MODELS.get(9)),
        Arguments.of("test_raw_ibs", MODELS.get(10)), Arguments.of("test_raw_fuu", MODELS.get(11)),
        Arguments.of("test_raw_uff", MODELS.get(12)), Arguments.of("test_raw_fuh", MODELS.get(13)),
        Arguments.of("test_raw_iff", MODELS.get(14)), Arguments.of("test_raw_fii", MODELS.get(15)),
        Arguments.of("test_raw_ihs", MODELS.get(16)), Arguments.of("test_raw_oii", MODELS.get(17)),
        Arguments.of("test_raw_ooo", MODELS.get(18)), Arguments.of("test_raw_oio", MODELS.get(19)),
        Arguments.of("test_raw_ooi", MODELS.get(20)), Arguments.of("test_raw_ioo", MODELS.get(21)),
        Arguments.of("test_raw_iio", MODELS.get(22)), Arguments.of("test_raw_ioi", MODELS.get(23)));
  }

  // infer_test.py InferTest.test_raw_<types> (_full_exact): the onnx_nobatch model with a batch of
  // 1 and the onnx model with batches of 1 and 8, each way infer_exact sends a request. The expected
  // values follow the version served: test_raw_uuu passes swap=True, but gen_qa_models.py writes
  // onnx_uint8_uint8_uint8 in version 1 only, which adds into OUTPUT0.
  @ParameterizedTest(name = "{0}")
  @MethodSource("rawCases")
  void addSubAnswersExactlyEveryWay(String tritonCase, QaModel model) throws Exception {
    boolean swap = QaModel.swapped(model.defaultVersion());
    Random random = new Random(tritonCase.hashCode());
    for (int batch : new int[] {1, BATCH}) {
      for (boolean batched : batch == 1 ? new boolean[] {false, true} : new boolean[] {true}) {
        AddSubExchange exchange = draw(random, model, batched, batch, true, true);
        for (Way way : Way.values()) {
          Answer answer = exchange.check(way, "", swap, List.of(Output.raw("OUTPUT0"), Output.raw("OUTPUT1")));
          if (answer != null) { // a request naming no version is answered by, and names, the latest served
            assertThat(answer.modelVersion()).as(way.name()).isEqualTo(Integer.toString(model.defaultVersion()));
          }
        }
      }
    }
  }

  static Stream<Arguments> classCases() {
    QaModel bbb = MODELS.get(1);
    QaModel sss = MODELS.get(2);
    QaModel iii = MODELS.get(3);
    QaModel lll = MODELS.get(4);
    QaModel fff = MODELS.get(6);
    QaModel iff = MODELS.get(14);
    return Stream.of(
        Arguments.of("test_class_bbb", bbb, false, false), Arguments.of("test_class_sss", sss, false, false),
        Arguments.of("test_class_iii", iii, false, false), Arguments.of("test_class_lll", lll, false, false),
        Arguments.of("test_class_fff", fff, false, false), Arguments.of("test_class_iff", iff, false, false),
        Arguments.of("test_mix_bbb", bbb, true, false), Arguments.of("test_mix_sss", sss, false, true),
        Arguments.of("test_mix_iii", iii, true, false), Arguments.of("test_mix_lll", lll, false, true),
        Arguments.of("test_mix_fff", fff, true, false), Arguments.of("test_mix_iff", iff, false, true));
  }

  // infer_test.py InferTest.test_class_<types> and test_mix_<types>: OUTPUT0 and/or OUTPUT1 asked
  // as the top 3 classes (class_count=3), values drawn in FP32's exact range; HTTP JSON only when
  // both outputs are asked the same way, as infer_exact does.
  @ParameterizedTest(name = "{0}")
  @MethodSource("classCases")
  void topClassesMatchTheComputedOutputs(String tritonCase, QaModel model, boolean output0Raw, boolean output1Raw)
      throws Exception {
    boolean swap = QaModel.swapped(model.defaultVersion());
    Random random = new Random(tritonCase.hashCode());
    List<Output> outputs = List.of(new Output("OUTPUT0", output0Raw ? 0 : CLASSES),
        new Output("OUTPUT1", output1Raw ? 0 : CLASSES));
    for (int batch : new int[] {1, BATCH}) {
      for (boolean batched : batch == 1 ? new boolean[] {false, true} : new boolean[] {true}) {
        AddSubExchange exchange = draw(random, model, batched, batch, output0Raw, output1Raw);
        for (Way way : List.of(Way.GRPC, Way.GRPC_STREAM, Way.HTTP_BINARY)) {
          exchange.check(way, "", swap, outputs);
        }
        if (output0Raw == output1Raw) {
          exchange.check(Way.HTTP_JSON, "", swap, outputs);
        }
      }
    }
  }

  // infer_util.py infer_exact's outputs=: a request naming one output is answered that one only.
  @Test
  void aRequestNamingOneOutputGetsOnlyThatOne() throws Exception {
    AddSubExchange exchange = draw(new Random(7), MODELS.get(6), true, BATCH, true, true);
    for (Way way : Way.values()) {
      exchange.check(way, "", true, List.of(Output.raw("OUTPUT1")));
      exchange.check(way, "", true, List.of(Output.raw("OUTPUT0")));
    }
  }

  static Stream<Arguments> versionCases() {
    return Stream.of(
        Arguments.of("test_raw_version_latest_1", MODELS.get(1), List.of(3)),
        Arguments.of("test_raw_version_latest_2", MODELS.get(2), List.of(2, 3)),
        Arguments.of("test_raw_version_all", MODELS.get(3), List.of(1, 2, 3)),
        Arguments.of("test_raw_version_specific_1", MODELS.get(5), List.of(1)),
        Arguments.of("test_raw_version_specific_1_3", MODELS.get(6), List.of(1, 3)));
  }

  // infer_test.py InferTest.test_raw_version_*: three versions on disk (1 computes add/sub, 2 and 3
  // sub/add), the policy serves some; each served one answers with its own swap and names itself,
  // each other is NOT_FOUND (Triton: "Request for unknown model: '<model>' version <v> is not found").
  @ParameterizedTest(name = "{0}")
  @MethodSource("versionCases")
  void eachVersionThePolicyServesAnswersAndNoOther(String tritonCase, QaModel model, List<Integer> served)
      throws Exception {
    AddSubExchange exchange = draw(new Random(tritonCase.hashCode()), model, true, 1, true, true);
    for (int version : ALL_VERSIONS) {
      if (served.contains(version)) {
        for (Way way : List.of(Way.GRPC, Way.GRPC_STREAM, Way.HTTP_BINARY)) {
          exchange.check(way, Integer.toString(version), QaModel.swapped(version),
              List.of(Output.raw("OUTPUT0"), Output.raw("OUTPUT1")));
        }
        continue;
      }
      Status status = TritonRequests.grpcError(channel, exchange.grpcRequest(Integer.toString(version)));
      assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(status.getDescription()).contains(exchange.model).contains(Integer.toString(version));
      HttpResponse<byte[]> http = new LocalHttp(server.httpPort()).post(
          "/v2/models/" + exchange.model + "/versions/" + version + "/infer", exchange.binaryBody().body(),
          BinaryTensorDataHttpTest.HEADER_LENGTH, Integer.toString(exchange.binaryBody().json().length));
      assertThat(http.statusCode()).isEqualTo(404);
    }
  }

  // Triton's HTTP HandleInfer (http_server.cc) and gRPC ModelInfer handler both create the request
  // with TRITONSERVER_InferenceRequestNew, which looks the model version up, before reading a tensor:
  // a version the policy does not serve is NOT_FOUND even when the body would be refused (FP16 sent
  // as JSON or as typed contents, which neither server takes).
  @Test
  void anUnservedVersionIsNotFoundWhateverTheBodyHolds() throws Exception {
    AddSubExchange exchange = draw(new Random(11), MODELS.get(5), true, 1, true, true);
    InferTensorContents notHalf = InferTensorContents.newBuilder()
        .addAllFp32Contents(java.util.Collections.nCopies(16, 1f)).build();
    ModelInferRequest typedHalf = exchange.grpcRequest("2").toBuilder().clearRawInputContents()
        .setInputs(0, TritonRequests.tensor("INPUT0", "FP16", 1, 16).setContents(notHalf))
        .setInputs(1, TritonRequests.tensor("INPUT1", "FP16", 1, 16).setContents(notHalf)).build();

    Status status = TritonRequests.grpcError(channel, typedHalf);
    HttpResponse<String> http = new LocalHttp(server.httpPort()).post(
        "/v2/models/" + exchange.model + "/versions/2/infer", exchange.json());

    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(http.statusCode()).as(http.body()).isEqualTo(404);
    assertThat(TritonRequests.grpcError(channel, typedHalf.toBuilder().setModelVersion("1").build()).getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(new LocalHttp(server.httpPort()).post("/v2/models/" + exchange.model + "/versions/1/infer",
        exchange.json()).statusCode()).isEqualTo(400);
  }

  private static AddSubExchange draw(Random random, QaModel model, boolean batched, int batch, boolean output0Raw,
      boolean output1Raw) {
    return AddSubExchange.draw(channel, server.httpPort(), random, model.input(), model.output0(), model.output1(),
        batched, batch, DIMS, output0Raw, output1Raw);
  }

  private static QaModel single(DataType input, DataType output0, DataType output1, ModelVersionPolicy policy) {
    return new QaModel(input, output0, output1, List.of(1), policy);
  }

  private static ModelVersionPolicy latest(int versions) {
    return ModelVersionPolicy.newBuilder().setLatest(ModelVersionPolicy.Latest.newBuilder().setNumVersions(versions))
        .build();
  }

  private static ModelVersionPolicy specific(long... versions) {
    ModelVersionPolicy.Specific.Builder specific = ModelVersionPolicy.Specific.newBuilder();
    Arrays.stream(versions).forEach(specific::addVersions);
    return ModelVersionPolicy.newBuilder().setSpecific(specific).build();
  }
}
