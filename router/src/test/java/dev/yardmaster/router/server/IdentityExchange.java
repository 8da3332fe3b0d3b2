package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.router.server.QaInfer.Answer;
import dev.yardmaster.router.server.QaInfer.Input;
import dev.yardmaster.router.server.QaInfer.Output;
import dev.yardmaster.router.server.QaInfer.Way;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Triton's {@code infer_util.py} {@code infer_zero}: each INPUTi of an identity model gets values
 * drawn over the whole range that keeps its datatype exact, and OUTPUTi must come back with the
 * same values in the expected shape (the input's, or the config's when the model reshapes).
 */
final class IdentityExchange {

  private IdentityExchange() {}

  /** Sends one request {@code way} and checks every output; a way that cannot carry the type is skipped. */
  static void check(ManagedChannel channel, int httpPort, Way way, String model, DataType type, long[][] inputShapes,
      long[][] outputShapes, Random random) throws Exception {
    List<Input> inputs = new ArrayList<>();
    List<Output> outputs = new ArrayList<>();
    for (int i = 0; i < inputShapes.length; i++) {
      int count = Math.toIntExact(Arrays.stream(inputShapes[i]).reduce(1, Math::multiplyExact));
      DataType range = QaValues.rangeType(type);
      long high = type == DataType.BOOL ? 2 : QaValues.max(range); // np.random.choice([False, True])
      long[] values = QaValues.random(random, count, QaValues.min(range), high);
      inputs.add(new Input("INPUT" + i, type, inputShapes[i], values));
      outputs.add(Output.raw("OUTPUT" + i));
    }
    if (!QaInfer.carries(way, inputs)) {
      return;
    }
    Answer answer = QaInfer.infer(way, channel, httpPort, model, "", inputs, outputs);
    String where = model + " " + way + " " + Arrays.deepToString(inputShapes);
    assertThat(answer.modelName()).as(where).isEqualTo(model);
    assertThat(answer.outputs()).as(where).hasSize(inputShapes.length);
    for (int i = 0; i < inputShapes.length; i++) {
      QaInfer.Tensor output = answer.outputs().get("OUTPUT" + i);
      assertThat(output).as(where + " OUTPUT" + i).isNotNull();
      assertThat(output.datatype()).as(where).isEqualTo(type.name());
      assertThat(output.shape()).as(where + " OUTPUT" + i + " shape").containsExactly(outputShapes[i]);
      assertThat(output.values()).as(where + " OUTPUT" + i).containsExactly(inputs.get(i).values());
    }
  }
}
