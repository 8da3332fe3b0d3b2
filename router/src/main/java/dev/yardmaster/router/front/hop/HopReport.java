package dev.yardmaster.router.front.hop;

import dev.yardmaster.router.bench.BenchReport;
import java.util.List;

/**
 * The router-hop benchmark's JSON report ({@code target/bench/router-hop-*.json}).
 *
 * @param at when the run ended (ISO-8601, UTC)
 * @param machine cores, heap and JVM of the load generator
 * @param processWarmupSeconds unrecorded load through each path once, before any point (JIT of the fresh JVMs)
 * @param warmupSeconds unrecorded load before each point
 * @param measureSeconds each point's window
 * @param setup where each part ran, in words
 * @param topologies the CPU placement of each pass, in the order run ({@link Topology})
 * @param nginx nginx's version, or why it was skipped
 * @param points every measured point: one per path and concurrency
 * @param added each proxy against direct at each concurrency
 * @param budgets DESIGN.md's router-hop budgets, checked for each proxy measured
 */
record HopReport(String at, BenchReport.Machine machine, double processWarmupSeconds, double warmupSeconds, double measureSeconds, String setup,
    List<Topology> topologies, String nginx, List<Point> points, List<Added> added, List<Budget> budgets) {

  /**
   * One path ({@code direct}, {@code router}, {@code nginx}) at one concurrency in one topology
   * ({@link Topology#name()}). The CPU figures are
   * per answered request over the point's warm-up and window, -1 where not known (direct has no
   * proxy; a router in the load generator's JVM cannot be told apart).
   */
  record Point(String topology, String path, int concurrency, long p50Micros, long p99Micros, double perSecond, long errors,
      double proxyCpuMicrosPerRequest, double backendCpuMicrosPerRequest) {}

  /**
   * What one proxy adds over direct at one concurrency in one topology: latency (µs) and the
   * throughput it keeps.
   */
  record Added(String topology, String proxy, int concurrency, long p50Micros, long p99Micros,
      double throughputRatio) {

    static Added of(Point direct, Point proxied) {
      return new Added(proxied.topology(), proxied.path(), proxied.concurrency(), proxied.p50Micros() - direct.p50Micros(),
          proxied.p99Micros() - direct.p99Micros(),
          direct.perSecond() > 0 ? proxied.perSecond() / direct.perSecond() : 0);
    }
  }

  /**
   * One budget: {@code measured <= limit} (latency added) or {@code measured >= limit} (throughput kept).
   */
  record Budget(String topology, String proxy, String name, double measured, String comparison, double limit,
      boolean passed) {

    static List<Budget> of(Added atOne, Added atMost) {
      String topology = atOne.topology();
      String proxy = atOne.proxy();
      return List.of(
          new Budget(topology, proxy, "added p50 at c=1 (µs)", atOne.p50Micros(), "<=", 100, atOne.p50Micros() <= 100),
          new Budget(topology, proxy, "added p99 at c=1 (µs)", atOne.p99Micros(), "<=", 300, atOne.p99Micros() <= 300),
          new Budget(topology, proxy, "throughput kept at c=" + atMost.concurrency(), atMost.throughputRatio(), ">=",
              0.85, atMost.throughputRatio() >= 0.85));
    }
  }
}
