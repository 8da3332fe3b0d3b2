package dev.yardmaster.router.pool;

import io.grpc.Status;
import java.util.List;

/**
 * Tells an endpoint's "this model or version is not ready here" apart from "this endpoint is down"
 * and from "no such model". KServe v2 gives these answers no code of their own, so the code and the
 * answer's words decide, Triton's ({@code ModelLifeCycle::GetModel}) and Yardmaster's backends' alike:
 * <ul>
 *   <li>UNAVAILABLE for a version that is known but not ready: {@code 'm' version 2 is not at ready
 *       state}, {@code model 'm' version 2 is not ready: unloaded}, {@code model 'm' is unloading};
 *   <li>NOT_FOUND for a model that is known but has no ready version at all (unloaded, loading,
 *       failed to load), asked without a version: {@code 'm' has no available versions}.
 * </ul>
 * Another endpoint of the pool may serve the model, and a client asking for an unloaded model must
 * not get a healthy endpoint ejected. A model an endpoint never had ({@code 'm' is not found}) is the
 * caller's error and is passed on.
 */
final class ModelNotReadyAnswer {

  private static final List<String> NOT_READY_VERSION = List.of("is not at ready state", "is not ready: ", "is unloading");
  private static final String NO_READY_VERSION = "has no available versions";

  private ModelNotReadyAnswer() {}

  /** Whether {@code status} is an endpoint's answer that a model or version is not ready there. */
  static boolean matches(Status status) {
    String description = status.getDescription();
    if (description == null) {
      return false;
    }
    return switch (status.getCode()) {
      case UNAVAILABLE -> NOT_READY_VERSION.stream().anyMatch(description::contains);
      case NOT_FOUND -> description.contains(NO_READY_VERSION);
      default -> false;
    };
  }
}
