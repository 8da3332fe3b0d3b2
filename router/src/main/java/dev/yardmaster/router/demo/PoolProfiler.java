package dev.yardmaster.router.demo;

import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.sweep.MissingTarget;
import dev.yardmaster.profiler.sweep.PointResult;
import dev.yardmaster.profiler.sweep.Sweep;
import dev.yardmaster.profiler.sweep.SweepListener;
import dev.yardmaster.profiler.sweep.SweepPlan;
import dev.yardmaster.profiler.sweep.SweepResult;
import dev.yardmaster.profiler.sweep.SweepTarget;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.PoolKind;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.local.InProcessBackend;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Profiles the model on every pool of a running router with the project's profiler (the same
 * {@link Sweep} as {@code yardmaster profile}), straight at each pool's in-process backend over
 * loopback gRPC, the way {@code yardmaster profile --target} measures a remote pool. Emulated pools
 * are measured too: what the router learns is what the emulated device does on this host.
 */
final class PoolProfiler {

  private PoolProfiler() {}

  /**
   * @throws IllegalStateException when a pool could not be measured (the profile would miss it)
   */
  static Profile profile(RouterServer router, String model, SweepPlan plan, PrintWriter progress) {
    SweepResult result = Sweep.builder(model, plan).listener(new Progress(progress)).build().run(targets(router));
    if (!result.missing().isEmpty()) {
      throw new IllegalStateException("profile of " + model + ": " + result.missing().stream()
          .map(MissingTarget::toString).toList() + " (expected: every pool measured)");
    }
    return result.profile();
  }

  /**
   * Unmeasured closed-loop load on every pool first (class loading, JIT, ONNX Runtime's first runs),
   * so the profile's first points are not a cold start.
   */
  static void warmUp(RouterServer router, String model, Duration each, long seed) {
    SweepPlan plan = new SweepPlan(List.of(1), List.of(4), SweepPlan.Mode.CLOSED_LOOP, 0, each,
        Duration.ofMillis(50), 1, 0.5, each.plusMillis(50), Duration.ofSeconds(5), seed);
    Sweep.builder(model, plan).build().run(targets(router));
  }

  private static List<SweepTarget> targets(RouterServer router) {
    List<SweepTarget> targets = new ArrayList<>();
    for (String name : router.pools().names()) {
      PoolConfig pool = Objects.requireNonNull(router.pools().get(name)).config();
      InProcessBackend backend = router.pools().inProcessBackend(name);
      if (backend == null) {
        throw new IllegalStateException("pool '" + name + "': kind " + pool.kind().configName()
            + " (expected: an in-process pool the tour can profile)");
      }
      targets.add(new SweepTarget(Target.parse(backend.grpcAddress()), "",
          pool.kind() == PoolKind.EMULATED ? "emulated" : "onnxruntime", name,
          pool.instanceType() == null ? "local" : pool.instanceType(), pool.accelerator().name().toLowerCase(Locale.ROOT),
          pool.pricePerHour()));
    }
    return targets;
  }

  /** One stderr line per measured point. */
  private record Progress(PrintWriter out) implements SweepListener {
    @Override
    public void onPoint(SweepTarget target, PointResult point, int index, int total) {
      out.printf(Locale.ROOT, "  [%d/%d] %-9s b=%d c=%-2d %7.0f infer/s  p50 %6.2f ms  p99 %6.2f ms%s%n",
          index + 1, total, target.pool(), point.batch(), point.concurrency(), point.throughput(), point.p50Ms(),
          point.p99Ms(), point.totalErrors() > 0 ? "  errors " + point.errors() : "");
      out.flush();
    }
  }
}
