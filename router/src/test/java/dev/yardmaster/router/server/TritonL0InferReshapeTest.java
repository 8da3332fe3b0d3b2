package dev.yardmaster.router.server;

import static dev.yardmaster.protocol.DataType.BYTES;
import static dev.yardmaster.protocol.DataType.FP32;
import static dev.yardmaster.protocol.DataType.INT32;

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
 * Ports of Triton's {@code qa/L0_infer_reshape/infer_reshape_test.py} (InferReshapeTest) for ONNX:
 * the identity models of {@code gen_qa_reshape_models.py}, whose config gives each tensor the dims
 * clients use and a {@code reshape} to the dims the ONNX graph has (fixed and, as its --variable
 * models, with -1 dims); values come back unchanged, in the shape the config gives each output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0InferReshapeTest extends ServedRepositoryTest {


  /** One of gen_qa_reshape_models.py's create_models calls: config dims, graph dims, output config dims. */
  record ReshapeModel(DataType type, boolean noBatch, long[][] inputs, long[][] model, long[][] outputs) {
    String name(boolean batched) {
      return TritonQaModels.zeroName(batched, inputs.length, type);
    }
  }

  private static final ReshapeModel OO1 = new ReshapeModel(BYTES, false, dims(new long[] {1}), dims(new long[] {}),
      dims(new long[] {1}));
  private static final ReshapeModel FF1 = new ReshapeModel(FP32, false, dims(new long[] {1}), dims(new long[] {}),
      dims(new long[] {1}));
  private static final ReshapeModel FF2 = new ReshapeModel(FP32, false, dims(new long[] {1}, new long[] {8}),
      dims(new long[] {}, new long[] {4, 1, 2}), dims(new long[] {1}, new long[] {8}));
  private static final ReshapeModel FF3 = new ReshapeModel(FP32, true,
      dims(new long[] {4, 4}, new long[] {2}, new long[] {2, 2, 3}),
      dims(new long[] {16}, new long[] {1, 2}, new long[] {3, 2, 2}),
      dims(new long[] {4, 4}, new long[] {2}, new long[] {2, 2, 3}));
  /** Reshapes only the inputs: the outputs' config dims are the graph's. */
  private static final ReshapeModel FF4 = new ReshapeModel(FP32, true,
      dims(new long[] {4, 4}, new long[] {2}, new long[] {2, 2, 3}, new long[] {1}),
      dims(new long[] {16}, new long[] {1, 2}, new long[] {3, 2, 2}, new long[] {1}),
      dims(new long[] {16}, new long[] {1, 2}, new long[] {3, 2, 2}, new long[] {1}));
  private static final ReshapeModel II1 = new ReshapeModel(INT32, true, dims(new long[] {2, 4, -1, 6}),
      dims(new long[] {8, -1, 1, 6}), dims(new long[] {2, 4, -1, 6}));
  private static final ReshapeModel II3 = new ReshapeModel(INT32, true,
      dims(new long[] {1, -1, 1}, new long[] {-1}, new long[] {2, 2, 3}),
      dims(new long[] {-1}, new long[] {1, -1, 1}, new long[] {3, 2, 2}),
      dims(new long[] {1, -1, 1}, new long[] {-1}, new long[] {2, 2, 3}));
  private static final ReshapeModel II2 = new ReshapeModel(INT32, true, dims(new long[] {-1, 1}, new long[] {2}),
      dims(new long[] {1, -1}, new long[] {1, 2}), dims(new long[] {1, -1}, new long[] {1, 2}));

  @BeforeAll
  static void startServer() throws Exception {
    for (ReshapeModel model : new ReshapeModel[] {OO1, FF1, FF2, FF3, FF4, II1, II2, II3}) {
      for (boolean batched : model.noBatch() ? new boolean[] {true, false} : new boolean[] {true}) {
        TritonQaModels.writeIdentity(repository, model.name(batched), batched, model.type(), model.inputs(),
            model.model(), model.outputs());
      }
    }
    serve();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("test_ff1", FF1, dims(new long[] {1}), dims(new long[] {1})),
        Arguments.of("test_ff2", FF2, dims(new long[] {1}, new long[] {8}), dims(new long[] {1}, new long[] {8})),
        Arguments.of("test_ff3", FF3, FF3.inputs(), FF3.inputs()),
        Arguments.of("test_ff4", FF4, FF4.inputs(), FF4.outputs()),
        Arguments.of("test_ii1", II1, dims(new long[] {2, 4, 5, 6}), dims(new long[] {2, 4, 5, 6})),
        Arguments.of("test_ii2", II2, dims(new long[] {4, 1}, new long[] {2}),
            dims(new long[] {1, 4}, new long[] {1, 2})),
        Arguments.of("test_ii3", II3, dims(new long[] {1, 4, 1}, new long[] {8}, new long[] {2, 2, 3}),
            dims(new long[] {1, 4, 1}, new long[] {8}, new long[] {2, 2, 3})),
        Arguments.of("test_oo1", OO1, dims(new long[] {1}), dims(new long[] {1})));
  }

  // infer_reshape_test.py InferReshapeTest.test_<types><n> (_full_reshape): the onnx model with
  // batches of 1 and 8, and the onnx_nobatch model where the case has one, each way infer_zero
  // sends a request; each output comes back in its config shape.
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reshapedTensorsComeBackInTheConfigShape(String tritonCase, ReshapeModel model, long[][] inputShapes,
      long[][] outputShapes) throws Exception {
    Random random = new Random(tritonCase.hashCode());
    for (Way way : Way.values()) {
      for (int batch : new int[] {1, 8}) {
        IdentityExchange.check(channel, server.httpPort(), way, model.name(true), model.type(),
            withBatch(batch, inputShapes), withBatch(batch, outputShapes), random);
      }
      if (model.noBatch()) {
        IdentityExchange.check(channel, server.httpPort(), way, model.name(false), model.type(), inputShapes,
            outputShapes, random);
      }
    }
  }

  private static long[][] withBatch(int batch, long[][] shapes) {
    return Arrays.stream(shapes).map(shape -> LongStream.concat(LongStream.of(batch), Arrays.stream(shape)).toArray())
        .toArray(long[][]::new);
  }

  private static long[][] dims(long[]... dims) {
    return dims;
  }
}
