package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Which answers say "too busy to take it now" (Triton's words and ours) and which do not. */
class EndpointBusyAnswerTest {

  @Test
  void tritonsQueueFullAndQueueTimeoutMatch() {
    assertThat(EndpointBusyAnswer.matches(Status.UNAVAILABLE.withDescription("Exceeds maximum queue size"))).isTrue();
    assertThat(EndpointBusyAnswer.matches(Status.UNAVAILABLE.withDescription("Request timeout expired"))).isTrue();
  }

  @Test
  void yardmastersQueueFullAndQueueTimeoutMatch() {
    assertThat(EndpointBusyAnswer.matches(Status.RESOURCE_EXHAUSTED.withDescription(
        "model 'm' priority level 1 queued requests: 8 (expected: < max_queue_size 8); retry later"))).isTrue();
    assertThat(EndpointBusyAnswer.matches(Status.DEADLINE_EXCEEDED.withDescription(
        "Request timeout expired: model 'm' request 'r' queue time: 2000 us (expected: <= timeout 1000 us)"))).isTrue();
  }

  @Test
  void anEndpointThatIsDownOrAnotherLimitDoesNotMatch() {
    assertThat(EndpointBusyAnswer.matches(Status.UNAVAILABLE.withDescription("io exception"))).isFalse();
    assertThat(EndpointBusyAnswer.matches(Status.UNAVAILABLE)).isFalse();
    assertThat(EndpointBusyAnswer.matches(Status.RESOURCE_EXHAUSTED.withDescription(
        "gRPC message exceeds maximum size 4194304: 5000000"))).isFalse();
    assertThat(EndpointBusyAnswer.matches(Status.DEADLINE_EXCEEDED.withDescription(
        "deadline exceeded after 0.499s. [remote_addr=127.0.0.1:8001]"))).isFalse();
    assertThat(EndpointBusyAnswer.matches(Status.INVALID_ARGUMENT.withDescription("Exceeds maximum queue size")))
        .isFalse();
  }
}
