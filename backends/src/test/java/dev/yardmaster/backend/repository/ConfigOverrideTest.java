package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import org.junit.jupiter.api.Test;

class ConfigOverrideTest {

  @Test
  void tritonFieldNamesAndJsonNamesBothParse() {
    ModelConfigLoader.Parsed parsed = ConfigOverride.parse("m",
        "{\"max_batch_size\": 8, \"dynamicBatching\": {\"max_queue_delay_microseconds\": \"100\"}}");

    assertThat(parsed.config().getMaxBatchSize()).isEqualTo(8);
    assertThat(parsed.config().getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(100);
    assertThat(parsed.notes()).isEmpty();
    assertThat(parsed.source()).isEqualTo("load config override");
  }

  @Test
  void unknownFieldsAreIgnoredAndNoted() {
    ModelConfigLoader.Parsed parsed = ConfigOverride.parse("m", "{\"max_batch_size\": 2, \"response_cache\": {}, "
        + "\"input\": [{\"name\": \"a\", \"is_non_linear_format_io\": true}], \"dynamic_batching\": {\"knob\": 1}}");

    assertThat(parsed.config().getMaxBatchSize()).isEqualTo(2);
    assertThat(parsed.config().getInput(0).getName()).isEqualTo("a");
    assertThat(parsed.notes()).containsExactly(
        "load config override: response_cache is not supported by Yardmaster and was ignored",
        "load config override: input.is_non_linear_format_io is not supported by Yardmaster and was ignored",
        "load config override: dynamic_batching.knob is not supported by Yardmaster and was ignored");
  }

  @Test
  void fieldsAModelCannotBeServedWithoutAreRefusedInEitherSpelling() {
    assertThatThrownBy(() -> ConfigOverride.parse("m", "{\"max_batch_size\": 2, \"sequence_batching\": {}, "
        + "\"batchInput\": [{\"kind\": \"BATCH_ELEMENT_COUNT\"}], \"optimization\": {}}"))
        .isInstanceOf(InferenceException.class)
        .hasMessage("model 'm' load config override: sequence_batching: not supported (expected: a stateless model,"
            + " with dynamic_batching or no scheduler: Yardmaster has no sequence batcher, which gives a stateful model"
            + " its control inputs and keeps its state); model 'm' load config override: batchInput: not supported"
            + " (expected: no batch_input: Yardmaster does not make the ragged-batch inputs a model reads it for)");
  }

  @Test
  void malformedJsonNamesTheModelAndTheParsersReason() {
    assertThatThrownBy(() -> ConfigOverride.parse("m", "{\"max_batch_size\": ")).hasMessage("model 'm' load config "
        + "override: End of input at line 1 column 20 path $.max_batch_size (expected: a model config in JSON)");
  }

  @Test
  void wrongValueTypeNamesTheModelAndTheParsersReason() {
    assertThatThrownBy(() -> ConfigOverride.parse("m", "{\"max_batch_size\": \"many\"}")).hasMessage(
        "model 'm' load config override: Not an int32 value: \"many\" (expected: a model config in JSON)");
  }

  @Test
  void blankIsRefused() {
    assertThatThrownBy(() -> ConfigOverride.parse("m", " ")).hasMessage(
        "model 'm' load config override: '' (expected: a model config in JSON, e.g. {\"max_batch_size\": 8})");
  }
}
