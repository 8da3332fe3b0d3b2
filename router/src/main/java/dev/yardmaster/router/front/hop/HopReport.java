package dev.yardmaster.router.front.hop;

import dev.yardmaster.router.bench.BenchReport;
import dev.yardmaster.router.bench.Medians;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The router-hop benchmark's JSON report ({@code target/bench/router-hop-*.json}).
 *
 * @param at when the run ended (ISO-8601, UTC)
 * @param machine cores, heap and JVM of the load generator
 * @param processWarmupSeconds unrecorded load through each path once, before any point (JIT of the fresh JVMs)
 * @param warmupSeconds unrecorded load before each point
 * @param measureSeconds each point's window
 * @param rounds how many times each topology's sweep ran, every path at every concurrency each time
 * @param setup where each part ran, in words
 * @param topologies the CPU placement of each pass, in the order run ({@link Topology})
 * @param nginx nginx's version, or why it was skipped
 * @param points every measured point: one per path and concurrency
 * @param added each proxy against direct at each concurrency
 * @param budgets DESIGN.md's router-hop budgets, checked for each proxy measured
 */
record HopReport(String at, BenchReport.Machine machine, double processWarmupSeconds, double warmupSeconds,
    double measureSeconds, int rounds, String setup,
    List<Topology> topologies, String nginx, List<Point> points, List<Added> added, List<Budget> budgets) {

  /**
   * One path ({@code direct}, {@code router}, {@code nginx}) at one concurrency in one round of one
   * topology ({@link Topology#name()}). The CPU figures are
   * per answered request over the point's warm-up and window, -1 where not known (direct has no
   * proxy; a router in the load generator's JVM cannot be told apart).
   */
  record Point(String topology, int round, String path, int concurrency, long p50Micros, long p99Micros, double perSecond, long errors,
      double proxyCpuMicrosPerRequest, double backendCpuMicrosPerRequest) {}

  /**
   * What one proxy adds over direct (measured just before it) at one concurrency in one round of
   * one topology: latency (µs) and the throughput it keeps.
   */
  record Added(String topology, int round, String proxy, int concurrency, long p50Micros, long p99Micros,
      double throughputRatio) {

    static Added of(Point direct, Point proxied) {
      return new Added(proxied.topology(), proxied.round(), proxied.path(), proxied.concurrency(), proxied.p50Micros() - direct.p50Micros(),
          proxied.p99Micros() - direct.p99Micros(),
          direct.perSecond() > 0 ? proxied.perSecond() / direct.perSecond() : 0);
    }
  }

  /**
   * One budget, judged on the median over rounds: {@code measured <= limit} (latency added) or
   * {@code measured >= limit} (throughput kept); {@code min} and {@code max} are the rounds' range.
   */
  record Budget(String topology, String proxy, String name, double measured, double min, double max,
      String comparison, double limit, boolean passed) {

    /** The three budgets of one proxy in one topology, from its rounds at c=1 and at the top concurrency. */
    static List<Budget> of(List<Added> atOne, List<Added> atMost) {
      Added first = atOne.get(0);
      return List.of(
          judged(first, "added p50 at c=1 (µs)", atOne, Added::p50Micros, "<=", 100),
          judged(first, "added p99 at c=1 (µs)", atOne, Added::p99Micros, "<=", 300),
          judged(first, "throughput kept at c=" + atMost.get(0).concurrency(), atMost, Added::throughputRatio,
              ">=", 0.85));
    }

    private static Budget judged(Added first, String name, List<Added> rounds, ToDoubleFunction<Added> value,
        String comparison, double limit) {
      double median = Medians.of(rounds, value);
      double[] range = Medians.range(rounds, value);
      boolean passed = comparison.equals("<=") ? median <= limit : median >= limit;
      return new Budget(first.topology(), first.proxy(), name, median, range[0], range[1], comparison, limit, passed);
    }
  }
}
