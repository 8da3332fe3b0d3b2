package dev.yardmaster.router.local;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.cpushare.CpuShare;
import dev.yardmaster.backend.cpushare.CpuShareRunnerFactory;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.EmulatedModelManager;
import dev.yardmaster.backend.emulated.PacingClock;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.router.emulated.EmulationMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The model managers a local backend serves from, built one way for {@code serve}, the router's
 * in-process pools and the profiler's local target: a Triton-layout repository with every model
 * loaded, on ONNX Runtime behind the batcher, or on an emulated device.
 */
public final class BackendManagers {

  private BackendManagers() {}

  /** ONNX Runtime (CPU; CUDA when present) behind the dynamic batcher. */
  public static ModelManager onnxRuntime(Path repository) {
    return onnxRuntime(repository, CpuShare.WHOLE_CORE);
  }

  /** ONNX Runtime behind the dynamic batcher, each instance held to {@code cpuShare} of a core. */
  public static ModelManager onnxRuntime(Path repository, CpuShare cpuShare) {
    return onnxRuntime(repository, cpuShare, RepositoryOptions.loadAllModels());
  }

  private static ModelManager onnxRuntime(Path repository, CpuShare cpuShare, RepositoryOptions options) {
    return new RepositoryModelManager(repository, CpuShareRunnerFactory.of(OrtRunnerFactory.withDefaults(), cpuShare),
        Schedulers.factory(), options);
  }

  /** ONNX Runtime, or the emulated device when {@code emulated} is set. */
  public static ModelManager of(Path repository, @Nullable AcceleratorProfile emulated) {
    return of(repository, emulated, CpuShare.WHOLE_CORE);
  }

  /**
   * ONNX Runtime with each instance held to {@code cpuShare} of a core, or the emulated device when
   * {@code emulated} is set (then the device's profile paces and the share must be the whole core).
   *
   * @throws IllegalArgumentException when both an emulated device and a CPU share are given
   */
  public static ModelManager of(Path repository, @Nullable AcceleratorProfile emulated, CpuShare cpuShare) {
    return of(repository, emulated, cpuShare, RepositoryOptions.loadAllModels());
  }

  /** As {@link #of(Path, AcceleratorProfile, CpuShare)}, loading at start as {@code options} say. */
  public static ModelManager of(Path repository, @Nullable AcceleratorProfile emulated, CpuShare cpuShare,
      RepositoryOptions options) {
    if (emulated == null) {
      return onnxRuntime(repository, cpuShare, options);
    }
    if (cpuShare.limits()) {
      throw new IllegalArgumentException("cpu_share: " + cpuShare.share() + " (expected: none with an emulated device "
          + emulated.name() + "; its profile paces the executions)");
    }
    return EmulatedModelManager.forRepository(repository, emulated, OrtRunnerFactory.withDefaults(),
        PacingClock.system(), options);
  }

  /** A Prometheus registry for the manager's server, with {@link EmulationMetrics} when it is emulated. */
  public static PrometheusMeterRegistry meterRegistry(ModelManager manager) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (manager instanceof EmulatedModelManager emulated) {
      EmulationMetrics.register(registry, emulated.runners());
    }
    return registry;
  }
}
