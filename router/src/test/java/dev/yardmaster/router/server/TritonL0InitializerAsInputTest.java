package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.OPTIONAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.router.server.QaInfer.Input;
import dev.yardmaster.router.server.QaInfer.Output;
import dev.yardmaster.router.server.QaInfer.Way;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's {@code qa/L0_initializer_as_input} ({@code test.py}, from the onnxruntime backend): the
 * model {@code add_with_initializer} of its {@code generate_test_model.py}, {@code OUTPUT = INPUT +
 * INITIALIZER} where {@code INITIALIZER} is an initializer of ones that is also a graph input, and
 * its config, which lists {@code INITIALIZER} as an optional input. Triton's test sends JSON over
 * HTTP; here every way a client sends a request.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0InitializerAsInputTest extends ServedTritonModels {

  private static final long[] SHAPE = {5, 5};
  private static final Input ZEROS = new Input("INPUT", DataType.FP32, SHAPE, new long[25]);

  // test.py test_without_optional: the stored initializer (ones) is used
  @Test
  void test_without_optional() throws Exception {
    for (Way way : Way.values()) {
      assertThat(output(way, List.of(ZEROS))).as("%s", way).containsOnly(1L).hasSize(25);
    }
  }

  // test.py test_with_optional: the given value replaces the initializer
  @Test
  void test_with_optional() throws Exception {
    Input initializer = new Input("INITIALIZER", DataType.FP32, SHAPE, new long[25]);
    for (Way way : Way.values()) {
      assertThat(output(way, List.of(ZEROS, initializer))).as("%s", way).containsOnly(0L).hasSize(25);
      // and the next request without it gets the stored value again
      assertThat(output(way, List.of(ZEROS))).as("%s after an override", way).containsOnly(1L);
    }
  }

  // the config as served keeps INITIALIZER an input, optional, as Triton's model config endpoint shows it
  @Test
  void theServedConfigListsTheInitializerAsAnOptionalInput() {
    var config = TritonRequests.stub(channel).modelConfig(ModelConfigRequest.newBuilder().setName(OPTIONAL).build())
        .getConfig();

    assertThat(config.getInputList()).extracting(input -> input.getName() + " " + input.getOptional())
        .containsExactly("INPUT false", "INITIALIZER true");
  }

  private static long[] output(Way way, List<Input> inputs) throws Exception {
    return QaInfer.infer(way, channel, server.httpPort(), OPTIONAL, "", inputs, List.of(Output.raw("OUTPUT")))
        .outputs().get("OUTPUT").values();
  }
}
