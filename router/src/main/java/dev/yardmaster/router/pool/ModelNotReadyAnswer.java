package dev.yardmaster.router.pool;

import io.grpc.Status;
import java.util.List;

/**
 * Tells an endpoint's "this model or version is not ready here" apart from "this endpoint is down".
 * Both arrive as UNAVAILABLE, and KServe v2 gives no other code, so the answer's words decide: Triton's
 * ({@code ModelLifeCycle::GetModel}: {@code 'm' version 2 is not at ready state}) and Yardmaster's
 * backends' ({@code model 'm' version 2 is not ready: unloaded}, {@code model 'm' is unloading}).
 * A client asking for an unloaded version must not get a healthy endpoint ejected.
 */
final class ModelNotReadyAnswer {

  private static final List<String> PHRASES = List.of("is not at ready state", "is not ready: ", "is unloading");

  private ModelNotReadyAnswer() {}

  /** Whether {@code status} is an endpoint's answer that a model or version is not ready there. */
  static boolean matches(Status status) {
    String description = status.getDescription();
    if (status.getCode() != Status.Code.UNAVAILABLE || description == null) {
      return false;
    }
    for (String phrase : PHRASES) {
      if (description.contains(phrase)) {
        return true;
      }
    }
    return false;
  }
}
