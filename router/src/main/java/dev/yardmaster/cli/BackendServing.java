package dev.yardmaster.cli;

import dev.yardmaster.backend.emulated.AcceleratorProfile;
import org.jspecify.annotations.Nullable;

/**
 * How the startup line of {@code serve [--backend-only] [--emulate PROFILE | --cpu-share SHARE]} says what it serves
 * (the line {@link dev.yardmaster.router.local.LocalBackendProcess} reads its ports from).
 */
final class BackendServing {

  private BackendServing() {}

  /**
   * The startup line's suffix: {@code ""}, or e.g. {@code " (backend-only, emulated gpu-a10g: ...)"}
   * or {@code " (backend-only, cpu share 0.25 of a core per instance)"}.
   */
  static String describe(boolean backendOnly, @Nullable AcceleratorProfile emulated, double cpuShare) {
    boolean limited = cpuShare < 1;
    if (!backendOnly && emulated == null && !limited) {
      return "";
    }
    StringBuilder line = new StringBuilder(" (");
    if (backendOnly) {
      line.append("backend-only");
    }
    if (limited) {
      line.append(backendOnly ? ", " : "").append("cpu share ").append(cpuShare).append(" of a core per instance");
    }
    if (emulated != null) {
      line.append(backendOnly || limited ? ", " : "").append("emulated ").append(emulated.name()).append(": ")
          .append(emulated.accelerator()).append(", ").append(emulated.maxConcurrentExecutions())
          .append(" concurrent executions, onnxruntime-cpu computes the outputs");
    }
    return line.append(')').toString();
  }
}
