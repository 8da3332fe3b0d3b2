package dev.yardmaster.router.demo;

import dev.yardmaster.router.config.ConfigException;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tour's built-in router config: three pools the router serves itself ({@code cpu-local}: ONNX
 * Runtime on this CPU from {@code models-cpu/}, held to a quarter of a core and priced as a
 * c7g.medium, one vCPU; {@code gpu-a10g} and {@code inf2}: emulated from the built-in accelerator
 * profiles from {@code models/}, priced as g5.xlarge and inf2.xlarge), tiers scaled to a model that
 * answers in about a millisecond, and the routing policy under test. Written to a file beside the
 * models, so {@code yardmaster serve --config} can run it.
 *
 * <p>The CPU pool is one replica with a bounded capacity: one ONNX Runtime instance on one thread
 * ({@code instance_group} count 1) without dynamic batching (Triton's default without a {@code
 * dynamic_batching} block), so the tour's batch-1 requests run one at a time, held to {@link
 * #CPU_SHARE} of a core. On a compute-heavy model that is a few hundred rows per second, which the
 * tour's peak exceeds. The accelerator pools batch (dynamic batching up to 64 rows), as those
 * devices are run.
 */
final class TourConfig {

  static final String CPU_POOL = "cpu-local";
  static final String GPU_POOL = "gpu-a10g";
  static final String INF2_POOL = "inf2";
  static final List<String> POOLS = List.of(CPU_POOL, GPU_POOL, INF2_POOL);
  /** The model repository of the accelerator pools (dynamic batching on). */
  static final String MODELS = "models";
  /** The model repository of the CPU pool: the same model, one request at a time. */
  static final String CPU_MODELS = "models-cpu";
  /**
   * The CPU pool's share of a host core ({@code cpu_share}): it computes at full speed, then waits
   * out the rest, so when its queue grows at the peak it takes a quarter of a core rather than a
   * whole one from the router, the load generator and the emulations it shares this host with (on
   * its own machine it would take none), and its capacity hardly depends on how warm this JVM is.
   */
  static final double CPU_SHARE = 0.25;
  /** What the CPU pool is, for the tables. */
  static final String CPU_POOL_SETUP = "one ONNX Runtime instance on one thread (instance_group count 1) without"
      + " dynamic batching, so batch-1 requests run one at a time, held to " + CPU_SHARE + " of a core"
      + " (cpu_share), as on a core " + Math.round(1 / CPU_SHARE) + "x slower than this host's";
  /** Gold and silver p99 budgets: a millisecond-scale model gets millisecond-scale tiers. */
  static final double GOLD_P99_MS = 10;
  static final double SILVER_P99_MS = 40;

  private TourConfig() {}

  /** The YAML; {@code profile} is the model's profile file relative to the config, or null before profiling. */
  static String yaml(String model, @Nullable String profile, String policy) {
    String models = profile == null ? "" : """
        models:
          - {name: %s, profile: %s}
        """.formatted(model, profile);
    return """
        # yardmaster demo: the built-in default config (pools served in the router's own process)
        server: {grpc_port: 0, metrics_port: 0, default_timeout_ms: 10000}
        tiers:
          gold:   {p99_ms: %s, priority: 1}
          silver: {p99_ms: %s, priority: 2}
          bronze: {priority: 3}
        default_tier: bronze
        pools:
          # one replica, one instance, no dynamic batching, a quarter of a core: a bounded capacity the peak exceeds
          - {name: %s, kind: onnxruntime, instance_type: c7g.medium, model_repository: %s, cpu_share: %s,
             health_check: {interval_ms: 250}}
          - {name: %s, kind: emulated, emulate: gpu-a10g, instance_type: g5.xlarge, model_repository: %s,
             health_check: {interval_ms: 250}}
          - {name: %s, kind: emulated, emulate: inf2, instance_type: inf2.xlarge, model_repository: %s,
             health_check: {interval_ms: 250}}
        %srouting: {policy: %s, safety_margin: 0.8, fallback: [gpu, inferentia, cpu]}
        """.formatted(fmt(GOLD_P99_MS), fmt(SILVER_P99_MS), CPU_POOL, CPU_MODELS, fmt(CPU_SHARE), GPU_POOL, MODELS,
        INF2_POOL, MODELS, models, policy);
  }

  /** Writes the YAML to {@code file} and loads it back (prices from the offline table). */
  static RouterConfig write(Path file, String model, @Nullable String profile, String policy) throws IOException {
    Files.writeString(file, yaml(model, profile, policy), StandardCharsets.UTF_8);
    try {
      return RouterConfigLoader.withOfflinePrices().load(file);
    } catch (ConfigException bad) {
      throw new IllegalStateException("the tour's built-in config is invalid: " + bad.getMessage(), bad);
    }
  }

  private static String fmt(double ms) {
    return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
  }
}
