package dev.yardmaster.router.front.hop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which CPUs the benchmark's processes run on during one pass over the concurrencies.
 *
 * <ul>
 *   <li>{@code shared}: every process on every core. On a small box each proxy's CPU then comes
 *       out of the backend's and the load generator's, so the throughput it keeps measures CPU
 *       sharing as much as the proxy.
 *   <li>{@code proxy-core}: each proxy alone on the last core; the load generator and the backend
 *       on the others, in both the direct and the proxied runs. This is how a proxy is deployed in
 *       front of a pool (its own pod or node), and how proxies are usually benchmarked.
 * </ul>
 *
 * <p>CPUs are named by their ids among those this process may use (a container's cpuset may
 * allow, say, 2 and 3 only), not counted from 0.
 *
 * @param name the label in the tables and the JSON
 * @param loadAndBackendCpus the CPU list of the load generator and the backend (taskset syntax)
 * @param proxyCpus the CPU list of the router and of nginx
 */
record Topology(String name, String loadAndBackendCpus, String proxyCpus) {

  static final String SHARED = "shared";
  static final String PROXY_CORE = "proxy-core";

  /** Every process on every one of {@code cpus} (ascending ids). */
  static Topology shared(List<Integer> cpus) {
    return new Topology(SHARED, CpuAffinity.format(cpus), CpuAffinity.format(cpus));
  }

  /** The proxy on the last of {@code cpus} (ascending ids, at least 2), everything else on the rest. */
  static Topology proxyCore(List<Integer> cpus) {
    if (cpus.size() < 2) {
      throw new IllegalArgumentException("cpus: " + cpus + " (expected: >= 2, one of them for the proxy alone)");
    }
    return new Topology(PROXY_CORE, CpuAffinity.format(cpus.subList(0, cpus.size() - 1)),
        CpuAffinity.format(cpus.subList(cpus.size() - 1, cpus.size())));
  }

  /**
   * The passes to run over {@code cpus}: {@code shared}, then {@code proxy-core} where it can be
   * set up (at least 2 CPUs, CPU affinity settable, the router in its own process).
   */
  static List<Topology> plan(List<Integer> cpus, boolean affinity, boolean routerOwnProcess) {
    List<Topology> plan = new ArrayList<>(List.of(shared(cpus)));
    if (skipped(cpus.size(), affinity, routerOwnProcess).isEmpty()) {
      plan.add(proxyCore(cpus));
    }
    return List.copyOf(plan);
  }

  /** Why {@code proxy-core} is not in the plan; empty when it is. */
  static Optional<String> skipped(int cores, boolean affinity, boolean routerOwnProcess) {
    if (cores < 2) {
      return Optional.of("proxy-core skipped: 1 core, none to give a proxy alone");
    }
    if (!affinity) {
      return Optional.of("proxy-core skipped: CPU affinity cannot be set here (needs Linux and taskset, util-linux)");
    }
    return routerOwnProcess ? Optional.empty()
        : Optional.of("proxy-core skipped: the router runs in the load generator's JVM");
  }

  /** What the processes run on, in words. */
  String describe() {
    return name.equals(SHARED) ? "every process on CPUs " + proxyCpus
        : "router and nginx on CPU " + proxyCpus + " alone; load generator and backend on " + loadAndBackendCpus;
  }
}
