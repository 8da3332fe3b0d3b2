package dev.yardmaster.sim;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.RoutingConfig;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.profile.ServiceCurves;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Built-in scenarios.
 *
 * <p>{@code seed}: model {@code higgs_mlp} on three pools, with latency curves that are
 * <b>assumptions</b> (linear in the batch, one replica, per request including the server's own
 * overhead), not measurements; replace them with profiles once the profiler has measured them:
 * <ul>
 *   <li>{@code gpu-a10g}: g5.xlarge, $1.006/h, 1.5 ms + 0.02 ms/row, max batch 64, max queue delay
 *       2 ms (kernel launch and PCIe copies dominate a small MLP; rows are nearly free);
 *   <li>{@code inf2}: inf2.xlarge, $0.758/h, 2 ms + 0.03 ms/row, max batch 64, 2 ms;
 *   <li>{@code cpu-c7g}: c7g.xlarge, $0.145/h, 0.4 ms + 0.35 ms/row, max batch 32, 1 ms (no launch
 *       cost, but every row is computed on 4 vCPUs).
 * </ul>
 * Replicas 0..8 per accelerator pool and 0..32 CPU replicas. Tiers: gold p99 50 ms, silver 150 ms,
 * bronze best effort (served within 1 s). Routing: {@link RoutingConfig#defaults()}. Trace: one
 * day compressed into the duration (default 60 s, so a simulated hour is 2.5 s), diurnal from 400
 * requests/s at night to 4,000 at noon, 1 to 8 rows per request, tier mix 20/30/50.
 */
public final class Scenarios {

  /** Names {@link #named} knows. */
  public static final List<String> NAMES = List.of("seed");

  private Scenarios() {}

  public static Scenario named(String name) {
    if (name.toLowerCase(Locale.ROOT).equals("seed")) {
      return seed();
    }
    throw new IllegalArgumentException(
        "scenario: \"" + name + "\" (expected: one of " + String.join(", ", NAMES) + ")");
  }

  /** The seed scenario (see the class comment for its assumptions). */
  public static Scenario seed() {
    return seed(400, 4_000);
  }

  /** The seed scenario's pools and tiers under a diurnal load between two rates (requests/s). */
  public static Scenario seed(double troughPerSecond, double peakPerSecond) {
    List<Tier> tiers = Tier.DEFAULTS;
    List<PoolSpec> pools = List.of(
        new PoolSpec("gpu-a10g", AcceleratorKind.GPU, "g5.xlarge", 1.006,
            ServiceCurve.linear(1_500_000, 20_000, 64, tiers), 2_000_000, 0, 8),
        new PoolSpec("inf2", AcceleratorKind.INFERENTIA, "inf2.xlarge", 0.758,
            ServiceCurve.linear(2_000_000, 30_000, 64, tiers), 2_000_000, 0, 8),
        new PoolSpec("cpu-c7g", AcceleratorKind.CPU, "c7g.xlarge", 0.145,
            ServiceCurve.linear(400_000, 350_000, 32, tiers), 1_000_000, 0, 32));
    return new Scenario("seed", "higgs_mlp", tiers, pools, RoutingConfig.defaults(),
        SlaTargets.DEFAULT,
        (seed, duration) -> TraceGenerators.diurnal(troughPerSecond, peakPerSecond, duration,
            TierMix.DEFAULT, new RowRange(1, 8), seed),
        60_000_000_000L);
  }

  /**
   * A scenario from a profile file: one pool per entry of the profile's first model version, with
   * the curve {@link ServiceCurves} builds from its grid (the same adapter the router uses), its
   * price, a 1 ms max queue delay and 0..8 replicas (0..32 for CPU); the default tiers, targets
   * and the seed scenario's diurnal trace shape between the given rates.
   */
  public static Scenario fromProfile(Profile profile, double troughPerSecond, double peakPerSecond) {
    List<Tier> tiers = Tier.DEFAULTS;
    List<PoolSpec> pools = new ArrayList<>();
    String version = profile.entries().isEmpty() ? "" : profile.entries().get(0).modelVersion();
    for (ProfileEntry entry : profile.entries()) {
      if (!entry.modelVersion().equals(version)) {
        continue;
      }
      AcceleratorKind kind = AcceleratorKind.valueOf(entry.accelerator().toUpperCase(Locale.ROOT));
      pools.add(new PoolSpec(entry.pool(), kind, entry.instanceType(), entry.pricePerHour(),
          ServiceCurves.of(entry, tiers), 1_000_000, 0, kind == AcceleratorKind.CPU ? 32 : 8));
    }
    if (pools.isEmpty()) {
      throw new IllegalArgumentException(
          "profile " + profile.model() + " entries: [] (expected: at least one entry)");
    }
    return new Scenario("profile-" + profile.model(), profile.model(), tiers, pools,
        RoutingConfig.defaults(), SlaTargets.DEFAULT,
        (seed, duration) -> TraceGenerators.diurnal(troughPerSecond, peakPerSecond, duration,
            TierMix.DEFAULT, new RowRange(1, 8), seed),
        60_000_000_000L);
  }
}
