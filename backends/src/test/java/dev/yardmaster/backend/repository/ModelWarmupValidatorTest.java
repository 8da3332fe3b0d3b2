package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config checks of {@code model_warmup}, each problem in the grammar {@code field: actual (expected: ...)}. */
class ModelWarmupValidatorTest {

  private static final String TWO_INPUTS = """
      max_batch_size: %d
      input [ { name: "a" data_type: TYPE_FP32 dims: [ -1, 3 ] }, { name: "b" data_type: TYPE_STRING dims: [ 2 ] optional: true } ]
      """;

  @Test
  void everyRequiredInputIsGivenAndNoOther() throws Exception {
    List<String> problems = problems(TWO_INPUTS.formatted(4) + """
        model_warmup [ { name: "w" batch_size: 4
          inputs { key: "c" value { data_type: TYPE_FP32 dims: [ 1 ] zero_data: true } } } ]
        """);

    assertThat(problems).containsExactly(
        "model_warmup 'w' input 'c': not an input of the model (expected: one of [a, b])",
        "model_warmup 'w' input 'a': missing (expected: data for every input of the model that is not optional)");
  }

  @Test
  void variableConfigDimsTakeAnySizeAndFixedOnesTheirOwn() throws Exception {
    assertThat(problems(TWO_INPUTS.formatted(4) + """
        model_warmup [ { batch_size: 2 inputs { key: "a" value { data_type: TYPE_FP32 dims: [ 7, 3 ] zero_data: true } } } ]
        """)).isEmpty();
    assertThat(problems(TWO_INPUTS.formatted(4) + """
        model_warmup [ { batch_size: 2 inputs { key: "a" value { data_type: TYPE_FP32 dims: [ 7, 4 ] zero_data: true } } } ]
        """)).containsExactly("model_warmup[0] input 'a': dims [7, 4] (expected: [-1, 3], the input's dims, each -1 a "
        + "size >= 1)");
  }

  @Test
  void aModelThatDoesNotBatchTakesBatchSizeZeroOrOne() throws Exception {
    String warmup = """
        model_warmup [ { name: "w" batch_size: %d inputs { key: "a" value { data_type: TYPE_FP32 dims: [ 1, 3 ] random_data: true } } } ]
        """;
    assertThat(problems(TWO_INPUTS.formatted(0) + warmup.formatted(0))).isEmpty();
    assertThat(problems(TWO_INPUTS.formatted(0) + warmup.formatted(1))).as("Triton's documented value").isEmpty();
    assertThat(problems(TWO_INPUTS.formatted(0) + warmup.formatted(2))).containsExactly(
        "model_warmup 'w' batch_size: 2 (expected: 0 or 1, max_batch_size is 0: the inputs are run as they are)");
    assertThat(problems(TWO_INPUTS.formatted(4) + warmup.formatted(0))).containsExactly(
        "model_warmup 'w' batch_size: 0 (expected: >= 1 and <= max_batch_size 4)");
  }

  @Test
  void fileNamesStayInsideTheWarmupDirectory() {
    assertThat(ModelWarmupValidator.fileNameProblem("a.bin")).isEmpty();
    assertThat(ModelWarmupValidator.fileNameProblem("sub/../a.bin")).isEmpty();
    for (String name : List.of("", "/etc/passwd", "..", "../a.bin", "sub/../../a.bin", ".")) {
      assertThat(ModelWarmupValidator.fileNameProblem(name)).as(name).isEqualTo("input_data_file: '" + name
          + "' (expected: a file name relative to the model's warmup/ directory, inside it)");
    }
  }

  private static List<String> problems(String text) throws Exception {
    ModelConfig.Builder config = ModelConfig.newBuilder();
    TextFormat.merge(text, config);
    List<String> problems = new ArrayList<>();
    ModelWarmupValidator.check(problems, config.build());
    return problems;
  }
}
