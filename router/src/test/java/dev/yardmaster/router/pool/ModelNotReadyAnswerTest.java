package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * Which answers say "not ready here" (Triton's words and ours) and which say "down" or "no such
 * model".
 */
class ModelNotReadyAnswerTest {

  @Test
  void tritonsAndYardmastersNotReadyAnswersMatch() {
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE.withDescription(
        "'simple' version 2 is not at ready state"))).isTrue(); // Triton's ModelLifeCycle::GetModel
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE.withDescription(
        "model 'm' version 2 is not ready: unloaded"))).isTrue();
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE.withDescription(
        "model 'm' is not ready: unloaded"))).isTrue();
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE.withDescription("model 'm' is unloading"))).isTrue();
  }

  @Test
  void aKnownModelWithoutAReadyVersionMatchesButAnUnknownModelDoesNot() {
    // Triton's ModelRepositoryManager::GetModel prefixes ModelLifeCycle::GetModel's words
    assertThat(ModelNotReadyAnswer.matches(Status.NOT_FOUND.withDescription(
        "Request for unknown model: 'simple' has no available versions"))).isTrue();
    assertThat(ModelNotReadyAnswer.matches(Status.NOT_FOUND.withDescription(
        "model 'm' has no available versions: unloaded"))).isTrue();
    assertThat(ModelNotReadyAnswer.matches(Status.NOT_FOUND.withDescription(
        "Request for unknown model: 'simple' is not found"))).isFalse();
    assertThat(ModelNotReadyAnswer.matches(Status.NOT_FOUND.withDescription(
        "Request for unknown model: 'simple' version 3 is not found"))).isFalse();
    assertThat(ModelNotReadyAnswer.matches(Status.INVALID_ARGUMENT.withDescription(
        "'simple' has no available versions"))).isFalse();
  }

  @Test
  void anEndpointThatIsDownOrAnotherCodeDoesNotMatch() {
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE.withDescription("io exception"))).isFalse();
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE)).isFalse();
    assertThat(ModelNotReadyAnswer.matches(Status.UNAVAILABLE.withDescription(
        "server: stopping (expected: a running server)"))).isFalse();
    assertThat(ModelNotReadyAnswer.matches(Status.NOT_FOUND.withDescription(
        "'simple' version 2 is not at ready state"))).isFalse();
  }
}
