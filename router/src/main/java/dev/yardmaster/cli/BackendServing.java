package dev.yardmaster.cli;

import dev.yardmaster.backend.emulated.AcceleratorProfile;
import org.jspecify.annotations.Nullable;

/**
 * How the startup line of {@code serve [--backend-only] [--emulate PROFILE]} says what it serves
 * (the line {@link dev.yardmaster.router.local.LocalBackendProcess} reads its ports from).
 */
final class BackendServing {

  private BackendServing() {}

  /** The startup line's suffix: {@code ""}, or e.g. {@code " (backend-only, emulated gpu-a10g: ...)"}. */
  static String describe(boolean backendOnly, @Nullable AcceleratorProfile emulated) {
    if (!backendOnly && emulated == null) {
      return "";
    }
    StringBuilder line = new StringBuilder(" (");
    if (backendOnly) {
      line.append("backend-only");
    }
    if (emulated != null) {
      line.append(backendOnly ? ", " : "").append("emulated ").append(emulated.name()).append(": ")
          .append(emulated.accelerator()).append(", ").append(emulated.maxConcurrentExecutions())
          .append(" concurrent executions, onnxruntime-cpu computes the outputs");
    }
    return line.append(')').toString();
  }
}
