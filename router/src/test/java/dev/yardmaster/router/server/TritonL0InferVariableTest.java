package dev.yardmaster.router.server;

import static dev.yardmaster.protocol.DataType.BYTES;
import static dev.yardmaster.protocol.DataType.FP32;
import static dev.yardmaster.protocol.DataType.INT32;
import static dev.yardmaster.protocol.DataType.INT64;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.router.server.QaInfer.Output;
import dev.yardmaster.router.server.QaInfer.Way;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports of Triton's {@code qa/L0_infer_variable/infer_variable_test.py} (InferVariableTest) for
 * ONNX: the add/sub models {@code gen_qa_models.py --variable} writes, whose config dims have
 * variable ({@code -1}) dimensions, run with the fixed shapes of each case: the onnx_nobatch model
 * with that shape, the onnx model with batches of 1 and 8 of it, each way infer_exact sends a
 * request; raw outputs compared exactly, classified ones (class_count 3) by value and rank.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0InferVariableTest extends ServedRepositoryTest {


  /** A --variable model: its types and config dims. */
  record VariableModel(DataType input, DataType output0, DataType output1, long... dims) {}

  private static final VariableModel FFF = new VariableModel(FP32, FP32, FP32, -1);
  private static final VariableModel FII = new VariableModel(FP32, INT32, INT32, -1, -1);
  private static final VariableModel FLL = new VariableModel(FP32, INT64, INT64, 8, -1);
  private static final VariableModel FIL = new VariableModel(FP32, INT32, INT64, -1, 8, -1);
  private static final VariableModel FFI = new VariableModel(FP32, FP32, INT32, -1);
  private static final VariableModel III = new VariableModel(INT32, INT32, INT32, -1, -1);
  private static final VariableModel IIF = new VariableModel(INT32, INT32, FP32, -1, 8, -1);
  private static final VariableModel OOO = new VariableModel(BYTES, BYTES, BYTES, -1);
  private static final VariableModel OII = new VariableModel(BYTES, INT32, INT32, -1, -1);
  private static final VariableModel OOI = new VariableModel(BYTES, BYTES, INT32, 8, -1);
  private static final VariableModel OIO = new VariableModel(BYTES, INT32, BYTES, -1, 8, -1);

  @BeforeAll
  static void startServer() throws Exception {
    ModelVersionPolicy latest = ModelVersionPolicy.newBuilder()
        .setLatest(ModelVersionPolicy.Latest.newBuilder().setNumVersions(1)).build();
    for (VariableModel model : List.of(FFF, FII, FLL, FIL, FFI, III, IIF, OOO, OII, OOI, OIO)) {
      for (boolean batched : new boolean[] {true, false}) {
        TritonQaModels.writeAddSub(repository, batched, model.input(), model.output0(), model.output1(),
            model.dims(), List.of(1), List.of(), latest);
      }
    }
    serve();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("test_raw_fff", true, FFF, new long[] {16}),
        Arguments.of("test_raw_fii", true, FII, new long[] {2, 8}),
        Arguments.of("test_raw_fll", true, FLL, new long[] {8, 4}),
        Arguments.of("test_raw_fil", true, FIL, new long[] {2, 8, 2}),
        Arguments.of("test_raw_ffi", true, FFI, new long[] {16}),
        Arguments.of("test_raw_iii", true, III, new long[] {2, 8}),
        Arguments.of("test_raw_iif", true, IIF, new long[] {2, 8, 2}),
        Arguments.of("test_raw_ooo", true, OOO, new long[] {16}),
        Arguments.of("test_raw_oii", true, OII, new long[] {2, 8}),
        Arguments.of("test_raw_ooi", true, OOI, new long[] {8, 4}),
        Arguments.of("test_raw_oio", true, OIO, new long[] {2, 8, 2}),
        Arguments.of("test_class_fff", false, FFF, new long[] {16}),
        Arguments.of("test_class_fii", false, FII, new long[] {2, 8}),
        Arguments.of("test_class_fll", false, FLL, new long[] {8, 4}),
        Arguments.of("test_class_fil", false, FIL, new long[] {2, 8, 2}),
        Arguments.of("test_class_ffi", false, FFI, new long[] {16}),
        Arguments.of("test_class_iii", false, III, new long[] {2, 8}),
        Arguments.of("test_class_iif", false, IIF, new long[] {2, 8, 2}));
  }

  // infer_variable_test.py InferVariableTest.test_raw_<types> and test_class_<types> (_full_exact
  // with req_raw): every variable dimension takes the size the request gives it.
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void variableDimsTakeTheRequestsShape(String tritonCase, boolean raw, VariableModel model, long[] shape)
      throws Exception {
    Random random = new Random(tritonCase.hashCode());
    int classes = raw ? 0 : AddSubExchange.CLASSES;
    List<Output> outputs = List.of(new Output("OUTPUT0", classes), new Output("OUTPUT1", classes));
    for (int batch : new int[] {1, 8}) {
      for (boolean batched : batch == 1 ? new boolean[] {false, true} : new boolean[] {true}) {
        AddSubExchange exchange = AddSubExchange.draw(channel, server.httpPort(), random, model.input(),
            model.output0(), model.output1(), batched, batch, shape, raw, raw);
        for (Way way : Way.values()) {
          exchange.check(way, "", false, outputs);
        }
      }
    }
  }
}
