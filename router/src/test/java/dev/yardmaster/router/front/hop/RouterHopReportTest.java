package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hop report's arithmetic, on hand-built points, and the router's JVM options. */
class RouterHopReportTest {

  private static final List<Topology> SHARED = List.of(Topology.shared(List.of(0, 1)));

  static HopReport.Point point(String path, int concurrency, long p50, long p99, double perSecond) {
    return point(Topology.SHARED, path, concurrency, p50, p99, perSecond);
  }

  static HopReport.Point point(String topology, String path, int concurrency, long p50, long p99, double perSecond) {
    return point(topology, 1, path, concurrency, p50, p99, perSecond);
  }

  static HopReport.Point point(String topology, int round, String path, int concurrency, long p50, long p99,
      double perSecond) {
    return new HopReport.Point(topology, round, path, concurrency, p50, p99, perSecond, 0, -1, -1);
  }

  @Test
  void addedLatencyAndRatiosAreAgainstDirectAtTheSameConcurrency() {
    HopReport report = RouterHopBenchmark.report(List.of(
        point("direct", 1, 500, 900, 2000), point("router", 1, 560, 1150, 1900), point("nginx", 1, 650, 1300, 1700),
        point("direct", 64, 4000, 9000, 16000), point("router", 64, 4500, 9900, 14400),
        point("nginx", 64, 4200, 9100, 12000)), 5, 2, 3, 1, "test", SHARED, "nginx/test");

    assertThat(report.added()).containsExactly(
        new HopReport.Added("shared", 1, "router", 1, 60, 250, 0.95),
        new HopReport.Added("shared", 1, "nginx", 1, 150, 400, 0.85),
        new HopReport.Added("shared", 1, "router", 64, 500, 900, 0.9),
        new HopReport.Added("shared", 1, "nginx", 64, 200, 100, 0.75));
    assertThat(report.budgets()).extracting(b -> b.proxy() + " " + b.name() + " " + b.passed()).containsExactly(
        "router added p50 at c=1 (µs) true", "router added p99 at c=1 (µs) true",
        "router throughput kept at c=64 true",
        "nginx added p50 at c=1 (µs) false", "nginx added p99 at c=1 (µs) false",
        "nginx throughput kept at c=64 false");
  }

  @Test
  void withoutNginxOnlyTheRouterIsChecked() {
    HopReport report = RouterHopBenchmark.report(List.of(point("direct", 1, 500, 900, 2000),
        point("router", 1, 700, 1500, 1500)), 5, 2, 3, 1, "test", SHARED, NginxGrpcProxy.MISSING);
    assertThat(report.budgets()).hasSize(3).allMatch(b -> b.proxy().equals("router"));
    assertThat(report.budgets()).noneMatch(HopReport.Budget::passed);
  }

  @Test
  void eachTopologyIsComparedWithItsOwnDirectRunAndCheckedOnItsOwn() {
    HopReport report = RouterHopBenchmark.report(List.of(
        point("shared", "direct", 1, 150, 280, 6000), point("shared", "router", 1, 270, 560, 3300),
        point("shared", "direct", 64, 2700, 7000, 21000), point("shared", "router", 64, 5400, 19000, 10500),
        point("proxy-core", "direct", 1, 145, 250, 6300), point("proxy-core", "router", 1, 208, 335, 4300),
        point("proxy-core", "direct", 64, 3950, 10700, 14800), point("proxy-core", "router", 64, 4500, 12800, 13000)),
        5, 2, 3, 1, "test", List.of(Topology.shared(List.of(0, 1)), Topology.proxyCore(List.of(0, 1))), NginxGrpcProxy.MISSING);

    assertThat(report.added()).containsExactly(
        new HopReport.Added("shared", 1, "router", 1, 120, 280, 0.55),
        new HopReport.Added("shared", 1, "router", 64, 2700, 12000, 0.5),
        new HopReport.Added("proxy-core", 1, "router", 1, 63, 85, 4300.0 / 6300),
        new HopReport.Added("proxy-core", 1, "router", 64, 550, 2100, 13000.0 / 14800));
    assertThat(report.budgets()).extracting(b -> b.topology() + " " + b.name() + " " + b.passed()).containsExactly(
        "shared added p50 at c=1 (µs) false", "shared added p99 at c=1 (µs) true",
        "shared throughput kept at c=64 false",
        "proxy-core added p50 at c=1 (µs) true", "proxy-core added p99 at c=1 (µs) true",
        "proxy-core throughput kept at c=64 true");
    assertThat(report.topologies()).extracting(Topology::proxyCpus).containsExactly("0-1", "1");
  }

  @Test
  void budgetsTakeTheMedianOfTheRoundsEachAgainstItsOwnDirectRun() {
    HopReport report = RouterHopBenchmark.report(List.of(
        point("proxy-core", 1, "direct", 1, 150, 260, 6000), point("proxy-core", 1, "router", 1, 212, 330, 4300),
        point("proxy-core", 2, "direct", 1, 190, 300, 5000), point("proxy-core", 2, "router", 1, 357, 480, 2500),
        point("proxy-core", 3, "direct", 1, 160, 280, 5500), point("proxy-core", 3, "router", 1, 229, 342, 4000),
        point("proxy-core", 1, "direct", 64, 4400, 8000, 13800), point("proxy-core", 1, "router", 64, 4400, 10100, 13500),
        point("proxy-core", 2, "direct", 64, 3500, 7500, 17200), point("proxy-core", 2, "router", 64, 4300, 13400, 13600),
        point("proxy-core", 3, "direct", 64, 3100, 7000, 19300), point("proxy-core", 3, "router", 64, 3600, 8300, 16900)),
        5, 1, 3, 3, "test", List.of(Topology.proxyCore(List.of(0, 1))), NginxGrpcProxy.MISSING);

    assertThat(report.added()).hasSize(6);
    assertThat(report.budgets()).extracting(HopReport.Budget::measured).containsExactly(
        69.0, 70.0, 16900.0 / 19300);
    assertThat(report.budgets()).extracting(HopReport.Budget::min).containsExactly(62.0, 62.0, 13600.0 / 17200);
    assertThat(report.budgets()).extracting(HopReport.Budget::max).containsExactly(167.0, 180.0, 13500.0 / 13800);
    assertThat(report.budgets()).allMatch(HopReport.Budget::passed);
  }

  @Test
  void extraRouterJvmOptionsFollowTheDefaults() {
    assertThat(RouterHopBenchmark.routerJvmOptions(null)).isEqualTo(RouterHopBenchmark.ROUTER_JVM_OPTIONS);
    assertThat(RouterHopBenchmark.routerJvmOptions("  ")).isEqualTo(RouterHopBenchmark.ROUTER_JVM_OPTIONS);
    assertThat(RouterHopBenchmark.routerJvmOptions(" -XX:StartFlightRecording=filename=r.jfr  -Xss1m "))
        .containsExactly("-Xmx512m", "-XX:+UseSerialGC", "-XX:StartFlightRecording=filename=r.jfr", "-Xss1m");
  }
}
