package dev.yardmaster.router.pool;

import io.grpc.Status;

/**
 * Tells an endpoint's "too busy to take this request now" apart from "this endpoint is down". The
 * request was not executed: the model's queue was full, or the request's queue timeout passed
 * before an instance took it. The endpoint is healthy, only loaded, so ejecting it would take
 * capacity away from a pool that is short of it. The code and the answer's words decide:
 * <ul>
 *   <li>Triton answers both UNAVAILABLE: {@code Exceeds maximum queue size} ({@code RequestQueue})
 *       and {@code Request timeout expired} (the dynamic batcher's REJECT timeout action);
 *   <li>a Yardmaster backend answers RESOURCE_EXHAUSTED {@code ... (expected: < max_queue_size 8);
 *       retry later} and DEADLINE_EXCEEDED {@code Request timeout expired: ...}.
 * </ul>
 * A RESOURCE_EXHAUSTED for another reason (gRPC's own message size limit, say) does not match.
 */
final class EndpointBusyAnswer {

  private static final String TRITON_QUEUE_FULL = "Exceeds maximum queue size";
  private static final String QUEUE_TIMEOUT = "Request timeout expired";
  private static final String YARDMASTER_QUEUE_FULL = "max_queue_size";

  private EndpointBusyAnswer() {}

  /** Whether {@code status} is an endpoint's answer that it is too busy to take the request. */
  static boolean matches(Status status) {
    String description = status.getDescription();
    if (description == null) {
      return false;
    }
    return switch (status.getCode()) {
      case UNAVAILABLE -> description.contains(TRITON_QUEUE_FULL) || description.contains(QUEUE_TIMEOUT);
      case DEADLINE_EXCEEDED -> description.contains(QUEUE_TIMEOUT);
      case RESOURCE_EXHAUSTED -> description.contains(YARDMASTER_QUEUE_FULL);
      default -> false;
    };
  }
}
