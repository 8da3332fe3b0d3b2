package dev.yardmaster.router.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAnswersTest {

  private final List<String> written = new ArrayList<>();

  private void write(ModelStreamInferResponse answer) {
    written.add(answer.getInferResponse().getId());
  }

  private static ModelStreamInferResponse answer(String id) {
    return StreamAnswers.answer(ModelInferResponse.newBuilder().setId(id).build());
  }

  @Test
  void anAnswerWaitsForThoseOfEarlierRequests() {
    StreamAnswers answers = new StreamAnswers();
    StreamAnswers.Slot first = answers.reserve();
    StreamAnswers.Slot second = answers.reserve();
    StreamAnswers.Slot third = answers.reserve();

    assertThat(answers.complete(third, answer("c"), this::write)).isZero();
    assertThat(answers.complete(second, answer("b"), this::write)).isZero();
    assertThat(written).isEmpty();
    assertThat(answers.complete(first, answer("a"), this::write)).isEqualTo(3);
    assertThat(written).containsExactly("a", "b", "c");

    StreamAnswers.Slot fourth = answers.reserve();
    assertThat(answers.complete(fourth, answer("d"), this::write)).isEqualTo(1);
    assertThat(written).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aSlotIsAnsweredOnce() {
    StreamAnswers answers = new StreamAnswers();
    StreamAnswers.Slot slot = answers.reserve();
    answers.complete(slot, answer("a"), this::write);
    assertThatThrownBy(() -> answers.complete(slot, answer("a"), this::write))
        .hasMessage("slot: already answered");
  }

  @Test
  void everyAnswerIsMarkedFinalAndAFailureNamesItsRequest() {
    ModelStreamInferResponse ok = StreamAnswers.answer(ModelInferResponse.newBuilder().setId("a")
        .putParameters("tag", InferParameter.newBuilder().setStringParam("x").build())
        .build());
    assertThat(ok.getInferResponse().getParametersMap().get(StreamAnswers.FINAL_RESPONSE).getBoolParam()).isTrue();
    assertThat(ok.getInferResponse().getParametersMap().get("tag").getStringParam()).isEqualTo("x");

    ModelStreamInferResponse failed = StreamAnswers.failure(
        ModelInferRequest.newBuilder().setId("b").setModelName("m").setModelVersion("2").build(), "bad input");
    assertThat(failed.getErrorMessage()).isEqualTo("bad input");
    assertThat(failed.getInferResponse().getId()).isEqualTo("b");
    assertThat(failed.getInferResponse().getModelName()).isEqualTo("m");
    assertThat(failed.getInferResponse().getModelVersion()).isEqualTo("2");
    assertThat(failed.getInferResponse().getParametersMap().get(StreamAnswers.FINAL_RESPONSE).getBoolParam()).isTrue();
  }
}
