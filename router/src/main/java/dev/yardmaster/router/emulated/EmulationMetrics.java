package dev.yardmaster.router.emulated;

import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.EmulatedRunnerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Says on /metrics that a server is emulated, and how faithfully:
 * {@code yardmaster_emulated_info{device,accelerator,max_concurrent_executions} 1},
 * {@code yardmaster_emulated_executions_total{device}} and
 * {@code yardmaster_emulated_lagging_executions_total{device}} (executions the host finished later
 * than the emulated device would have; their latency is the host's, not the device's).
 */
public final class EmulationMetrics {

  private EmulationMetrics() {}

  public static void register(MeterRegistry registry, EmulatedRunnerFactory runners) {
    AcceleratorProfile profile = runners.profile();
    Gauge.builder("yardmaster.emulated.info", () -> 1)
        .description("An emulated accelerator: outputs from ONNX Runtime on CPU, paced by this device's profile")
        .tag("device", profile.name())
        .tag("accelerator", profile.accelerator())
        .tag("max_concurrent_executions", String.valueOf(profile.maxConcurrentExecutions()))
        .register(registry);
    FunctionCounter.builder("yardmaster.emulated.executions", runners, EmulatedRunnerFactory::executions)
        .description("Executions on the emulated device")
        .tag("device", profile.name())
        .register(registry);
    FunctionCounter.builder("yardmaster.emulated.lagging.executions", runners,
            EmulatedRunnerFactory::laggingExecutions)
        .description("Executions the host finished later than the emulated device would have")
        .tag("device", profile.name())
        .register(registry);
  }
}
