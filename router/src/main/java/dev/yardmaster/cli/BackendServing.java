package dev.yardmaster.cli;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.EmulatedModelManager;
import dev.yardmaster.backend.emulated.PacingClock;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.router.emulated.EmulationMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What {@code serve --backend-only [--emulate PROFILE]} serves, and how its startup line says so
 * (the line {@link dev.yardmaster.router.local.LocalBackendProcess} reads its ports from).
 */
final class BackendServing {

  private BackendServing() {}

  /** The repository on ONNX Runtime, or on the emulated device when {@code emulated} is set. */
  static ModelManager manager(Path repository, @Nullable AcceleratorProfile emulated) {
    return emulated == null ? ModelManagers.forRepository(repository)
        : EmulatedModelManager.forRepository(repository, emulated, OrtRunnerFactory.withDefaults(),
            PacingClock.system());
  }

  /** Prometheus meters for the server, with {@link EmulationMetrics} when the manager is emulated. */
  static MeterRegistry meterRegistry(ModelManager manager) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (manager instanceof EmulatedModelManager emulated) {
      EmulationMetrics.register(registry, emulated.runners());
    }
    return registry;
  }

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
