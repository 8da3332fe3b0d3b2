package dev.yardmaster.sim;

import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.RoutingPolicy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A policy the simulator compares: its report name, how to make a fresh instance (round-robin
 * keeps a counter, so every run gets its own), and the hardware it can route to (the fleet search
 * only adds replicas there).
 *
 * @param name report name, e.g. {@code cost-aware}
 * @param factory a fresh policy for the scenario
 * @param uses accelerator kinds it routes to
 */
public record SimPolicy(String name, Function<Scenario, RoutingPolicy> factory,
    Set<AcceleratorKind> uses) {

  /** The names {@link #named} knows, in report order. */
  public static final List<String> NAMES =
      List.of("cost-aware", "gpu-only", "cpu-only", "round-robin", "least-queue");

  public SimPolicy {
    uses = Set.copyOf(uses);
  }

  /** One of {@link #NAMES}; {@code cheapest-meeting-sla} is accepted for {@code cost-aware}. */
  public static SimPolicy named(String name) {
    Set<AcceleratorKind> all = EnumSet.allOf(AcceleratorKind.class);
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "cost-aware":
      case "cheapest-meeting-sla":
        return new SimPolicy("cost-aware", s -> RoutingPolicy.cheapestMeetingSla(s.routing()), all);
      case "gpu-only":
        return new SimPolicy("gpu-only", s -> RoutingPolicy.gpuOnly(), EnumSet.of(AcceleratorKind.GPU));
      case "cpu-only":
        return new SimPolicy("cpu-only", s -> RoutingPolicy.cpuOnly(), EnumSet.of(AcceleratorKind.CPU));
      case "round-robin":
        return new SimPolicy("round-robin", s -> RoutingPolicy.roundRobin(), all);
      case "least-queue":
        return new SimPolicy("least-queue", s -> RoutingPolicy.leastQueue(), all);
      default:
        throw new IllegalArgumentException(
            "policy: \"" + name + "\" (expected: one of " + String.join(", ", NAMES) + ")");
    }
  }

  /** Parses {@code cost-aware,gpu-only}. */
  public static List<SimPolicy> parseList(String names) {
    List<SimPolicy> policies = new ArrayList<>();
    for (String name : names.split(",")) {
      if (!name.isBlank()) {
        policies.add(named(name));
      }
    }
    if (policies.isEmpty()) {
      throw new IllegalArgumentException(
          "policies: \"" + names + "\" (expected: one or more of " + String.join(", ", NAMES) + ")");
    }
    return policies;
  }

  public static List<SimPolicy> all() {
    List<SimPolicy> policies = new ArrayList<>();
    for (String name : NAMES) {
      policies.add(named(name));
    }
    return policies;
  }

  /** Which of the scenario's pools this policy can use. */
  boolean[] usablePools(Scenario scenario) {
    boolean[] usable = new boolean[scenario.pools().size()];
    for (int p = 0; p < usable.length; p++) {
      usable[p] = uses.contains(scenario.pools().get(p).accelerator());
    }
    return usable;
  }
}
