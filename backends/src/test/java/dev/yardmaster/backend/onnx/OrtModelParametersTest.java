package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrtModelParametersTest {

  private static final OrtRunnerOptions SERVER = OrtRunnerOptions.defaults();

  @Test
  void modelParametersOverrideTheServerOptionsForThatModel() {
    OrtRunnerOptions options = OrtModelParameters.apply("m", SERVER, Map.of(
        "intra_op_thread_count", parameter("4"),
        "inter_op_thread_count", parameter("0"),
        "execution_mode", parameter("1"),
        "enable_mem_arena", parameter("false"),
        "enable_mem_pattern", parameter("ON"),
        "inline_execution_max_micros", parameter("100")));

    assertThat(options).isEqualTo(new OrtRunnerOptions(4, 0, true, true, false, true));
  }

  @Test
  void withoutParametersTheServerOptionsStand() {
    assertThat(OrtModelParameters.apply("m", SERVER, Map.of())).isEqualTo(SERVER);
    assertThat(OrtModelParameters.apply("m", SERVER.cpuOnly(), Map.of("execution_mode", parameter("0"))))
        .isEqualTo(new OrtRunnerOptions(1, 1, false, false, null, null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "intra_op_thread_count | two | an integer >= 0, 0 lets ONNX Runtime pick",
      "inter_op_thread_count | -1  | an integer >= 0, 0 lets ONNX Runtime pick",
      "execution_mode        | 2   | 0 (sequential) or 1 (parallel)",
      "enable_mem_arena      | yes | true or false",
      "enable_mem_pattern    | ''  | true or false"})
  void badValueNamesTheModelAndParameter(String name, String value, String expected) {
    assertThatThrownBy(() -> OrtModelParameters.apply("m/1", SERVER, Map.of(name, parameter(value))))
        .isInstanceOf(InferenceException.class)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT)
        .hasMessage("model 'm/1' parameters.%s: '%s' (expected: %s)", name, value, expected);
  }

  private static ModelParameter parameter(String value) {
    return ModelParameter.newBuilder().setStringValue(value).build();
  }
}
