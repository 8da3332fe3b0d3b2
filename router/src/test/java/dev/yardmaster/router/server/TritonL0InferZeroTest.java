package dev.yardmaster.router.server;

import static dev.yardmaster.protocol.DataType.BOOL;
import static dev.yardmaster.protocol.DataType.BYTES;
import static dev.yardmaster.protocol.DataType.FP16;
import static dev.yardmaster.protocol.DataType.FP32;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.router.server.QaInfer.Way;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports of Triton's {@code qa/L0_infer_zero/infer_zero_test.py} (InferZeroTest) for ONNX: identity
 * models with variable dims ({@code gen_qa_identity_models.py}'s {@code onnx_zero_<n>_<type>}:
 * FP32 [-1] with 1 and 3 tensors, FP16 [-1,-1] with 1 and 3, BYTES [-1] with 1 and [-1,-1] with 3,
 * BOOL [-1] with 1), batching (max_batch_size 8) and not, sent tensors with zero-sized dimensions
 * (and non-zero ones as the sanity cases); every output must be its input, shape included.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0InferZeroTest extends ServedRepositoryTest {


  @BeforeAll
  static void startServer() throws Exception {
    writeZeroModels(FP32, 1, -1);
    writeZeroModels(FP32, 3, -1);
    writeZeroModels(FP16, 1, -1, -1);
    writeZeroModels(FP16, 3, -1, -1);
    writeZeroModels(BYTES, 1, -1);
    writeZeroModels(BYTES, 3, -1, -1);
    writeZeroModels(BOOL, 1, -1);
    serve();
  }

  private static void writeZeroModels(DataType type, int ioCount, long... dims) throws Exception {
    long[][] shapes = new long[ioCount][];
    Arrays.fill(shapes, dims);
    for (boolean batched : new boolean[] {true, false}) {
      TritonQaModels.writeIdentity(repository, TritonQaModels.zeroName(batched, ioCount, type), batched, type,
          shapes, shapes, shapes);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("test_ff1_sanity", FP32, shapes(new long[] {1})),
        Arguments.of("test_ff1", FP32, shapes(new long[] {0})),
        Arguments.of("test_ff3_sanity", FP32, shapes(new long[] {1}, new long[] {2}, new long[] {1})),
        Arguments.of("test_ff3_0", FP32, shapes(new long[] {0}, new long[] {0}, new long[] {0})),
        Arguments.of("test_ff3_1", FP32, shapes(new long[] {0}, new long[] {0}, new long[] {1})),
        Arguments.of("test_ff3_2", FP32, shapes(new long[] {0}, new long[] {1}, new long[] {0})),
        Arguments.of("test_ff3_3", FP32, shapes(new long[] {1}, new long[] {0}, new long[] {0})),
        Arguments.of("test_ff3_4", FP32, shapes(new long[] {1}, new long[] {0}, new long[] {1})),
        Arguments.of("test_hh1_sanity", FP16, shapes(new long[] {2, 2})),
        Arguments.of("test_hh1_0", FP16, shapes(new long[] {1, 0})),
        Arguments.of("test_hh1_1", FP16, shapes(new long[] {0, 1})),
        Arguments.of("test_hh1_2", FP16, shapes(new long[] {0, 0})),
        Arguments.of("test_hh3_sanity", FP16, shapes(new long[] {2, 2}, new long[] {2, 2}, new long[] {1, 1})),
        Arguments.of("test_hh3_0", FP16, shapes(new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0})),
        Arguments.of("test_hh3_1", FP16, shapes(new long[] {0, 1}, new long[] {0, 1}, new long[] {2, 3})),
        Arguments.of("test_hh3_2", FP16, shapes(new long[] {1, 0}, new long[] {1, 3}, new long[] {0, 1})),
        Arguments.of("test_hh3_3", FP16, shapes(new long[] {1, 1}, new long[] {3, 0}, new long[] {0, 0})),
        Arguments.of("test_hh3_4", FP16, shapes(new long[] {1, 1}, new long[] {0, 6}, new long[] {2, 2})),
        Arguments.of("test_oo1_sanity", BYTES, shapes(new long[] {2})),
        Arguments.of("test_oo1", BYTES, shapes(new long[] {0})),
        Arguments.of("test_oo3_sanity", BYTES, shapes(new long[] {2, 2}, new long[] {2, 2}, new long[] {1, 1})),
        Arguments.of("test_oo3_0", BYTES, shapes(new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0})),
        Arguments.of("test_oo3_1", BYTES, shapes(new long[] {0, 1}, new long[] {0, 1}, new long[] {2, 3})),
        Arguments.of("test_oo3_2", BYTES, shapes(new long[] {1, 0}, new long[] {1, 3}, new long[] {0, 1})),
        Arguments.of("test_oo3_3", BYTES, shapes(new long[] {1, 1}, new long[] {3, 0}, new long[] {0, 0})),
        Arguments.of("test_oo3_4", BYTES, shapes(new long[] {1, 1}, new long[] {0, 6}, new long[] {2, 2})),
        Arguments.of("test_bb1_sanity", BOOL, shapes(new long[] {10})),
        Arguments.of("test_bb1_0", BOOL, shapes(new long[] {0})));
  }

  // infer_zero_test.py InferZeroTest.test_<types><n>[_<case>] (_full_zero): the onnx model with
  // batches of 1 and 8 of the shapes, the onnx_nobatch model with the shapes, each way
  // infer_zero sends a request (FP16 never as JSON or typed contents).
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void zeroSizedTensorsComeBackAsSent(String tritonCase, DataType type, long[][] shapes) throws Exception {
    Random random = new Random(tritonCase.hashCode());
    for (Way way : Way.values()) {
      for (int batch : new int[] {1, 8}) {
        long[][] batchShapes = Arrays.stream(shapes)
            .map(shape -> LongStream.concat(LongStream.of(batch), Arrays.stream(shape)).toArray())
            .toArray(long[][]::new);
        IdentityExchange.check(channel, server.httpPort(), way, TritonQaModels.zeroName(true, shapes.length, type),
            type, batchShapes, batchShapes, random);
      }
      IdentityExchange.check(channel, server.httpPort(), way, TritonQaModels.zeroName(false, shapes.length, type),
          type, shapes, shapes, random);
    }
  }

  private static long[][] shapes(long[]... shapes) {
    return shapes;
  }
}
