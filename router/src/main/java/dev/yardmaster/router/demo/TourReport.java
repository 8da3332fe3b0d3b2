package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code yardmaster demo} found, as written to {@code target/demo/demo-latest.json}.
 *
 * @param generatedAt ISO-8601 instant
 * @param quick whether it was the short smoke run
 * @param model the model the load used
 * @param cpuPool the CPU pool's setup and the capacity the load is scaled to
 * @param pools each pool's price, profiled drain rate and cost per 1M inferences
 * @param phases the load, in order (warm-up not recorded)
 * @param policies per policy, per tier: pool shares, latency, SLA compliance, cost
 * @param savingPercent how much less cost-aware's cost per 1M is than gpu-only's
 * @param emulation per emulated pool: executions, and those the host was slower than the device on
 * @param definitions how each figure is computed
 */
public record TourReport(
    @JsonProperty("generated_at") String generatedAt,
    boolean quick,
    String model,
    @JsonProperty("cpu_pool") CpuPoolLimit cpuPool,
    List<PoolCost> pools,
    List<LoadPhase> phases,
    List<PolicyResult> policies,
    @JsonProperty("saving_percent") double savingPercent,
    List<EmulationFidelity> emulation,
    List<String> definitions) {

  public TourReport {
    pools = List.copyOf(pools);
    phases = List.copyOf(phases);
    policies = List.copyOf(policies);
    emulation = List.copyOf(emulation);
    definitions = List.copyOf(definitions);
  }

  /** The run of {@code policy}. */
  PolicyResult policy(String policy) {
    return policies.stream().filter(p -> p.policy().equals(policy)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("policy: " + policy + " (expected: one of "
            + policies.stream().map(PolicyResult::policy).toList() + ")"));
  }

  /** Requests that failed with an error other than a shed, over all policies. */
  public long failedRequests() {
    return policies.stream().mapToLong(PolicyResult::failed).sum();
  }

  /** Answered requests over all policies and tiers. */
  public long answeredRequests() {
    return policies.stream().flatMap(p -> p.tiers().stream()).mapToLong(TierResult::answered).sum();
  }
}
