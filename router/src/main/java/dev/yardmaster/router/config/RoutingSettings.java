package dev.yardmaster.router.config;

import dev.yardmaster.router.policy.RoutingConfig;
import dev.yardmaster.router.policy.RoutingPolicy;
import java.util.List;

/**
 * The {@code routing} section: which policy routes, and the cost-aware policy's knobs.
 *
 * @param policy {@code routing.policy}: one of {@link #POLICIES}, default {@code cost-aware}
 * @param config {@code safety_margin}, {@code fallback}, {@code max_queue_delay_ms}
 */
public record RoutingSettings(String policy, RoutingConfig config) {

  /** The policy names {@code routing.policy} accepts. */
  public static final List<String> POLICIES = List.of("cost-aware", "gpu-only", "cpu-only", "round-robin",
      "least-queue");

  public RoutingSettings {
    if (!POLICIES.contains(policy)) {
      throw new IllegalArgumentException("routing.policy: " + policy + " (expected: one of " + POLICIES + ")");
    }
  }

  /** cost-aware with {@link RoutingConfig#defaults()}. */
  public static RoutingSettings defaults() {
    return new RoutingSettings("cost-aware", RoutingConfig.defaults());
  }

  /** A new policy instance (round-robin keeps state, so each routing table gets its own). */
  public RoutingPolicy newPolicy() {
    return switch (policy) {
      case "gpu-only" -> RoutingPolicy.gpuOnly();
      case "cpu-only" -> RoutingPolicy.cpuOnly();
      case "round-robin" -> RoutingPolicy.roundRobin();
      case "least-queue" -> RoutingPolicy.leastQueue();
      default -> RoutingPolicy.cheapestMeetingSla(config);
    };
  }
}
