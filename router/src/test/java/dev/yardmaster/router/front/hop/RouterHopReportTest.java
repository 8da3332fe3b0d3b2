package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hop report's arithmetic, on hand-built points, and the router's JVM options. */
class RouterHopReportTest {

  static HopReport.Point point(String path, int concurrency, long p50, long p99, double perSecond) {
    return new HopReport.Point(path, concurrency, p50, p99, perSecond, 0, -1, -1);
  }

  @Test
  void addedLatencyAndRatiosAreAgainstDirectAtTheSameConcurrency() {
    HopReport report = RouterHopBenchmark.report(List.of(
        point("direct", 1, 500, 900, 2000), point("router", 1, 560, 1150, 1900), point("nginx", 1, 650, 1300, 1700),
        point("direct", 64, 4000, 9000, 16000), point("router", 64, 4500, 9900, 14400),
        point("nginx", 64, 4200, 9100, 12000)), 5, 2, 3, "test", "nginx/test");

    assertThat(report.added()).containsExactly(
        new HopReport.Added("router", 1, 60, 250, 0.95), new HopReport.Added("router", 64, 500, 900, 0.9),
        new HopReport.Added("nginx", 1, 150, 400, 0.85), new HopReport.Added("nginx", 64, 200, 100, 0.75));
    assertThat(report.budgets()).extracting(b -> b.proxy() + " " + b.name() + " " + b.passed()).containsExactly(
        "router added p50 at c=1 (µs) true", "router added p99 at c=1 (µs) true",
        "router throughput kept at c=64 true",
        "nginx added p50 at c=1 (µs) false", "nginx added p99 at c=1 (µs) false",
        "nginx throughput kept at c=64 false");
  }

  @Test
  void withoutNginxOnlyTheRouterIsChecked() {
    HopReport report = RouterHopBenchmark.report(List.of(point("direct", 1, 500, 900, 2000),
        point("router", 1, 700, 1500, 1500)), 5, 2, 3, "test", NginxGrpcProxy.MISSING);
    assertThat(report.budgets()).hasSize(3).allMatch(b -> b.proxy().equals("router"));
    assertThat(report.budgets()).noneMatch(HopReport.Budget::passed);
  }

  @Test
  void extraRouterJvmOptionsFollowTheDefaults() {
    assertThat(RouterHopBenchmark.routerJvmOptions(null)).isEqualTo(RouterHopBenchmark.ROUTER_JVM_OPTIONS);
    assertThat(RouterHopBenchmark.routerJvmOptions("  ")).isEqualTo(RouterHopBenchmark.ROUTER_JVM_OPTIONS);
    assertThat(RouterHopBenchmark.routerJvmOptions(" -XX:StartFlightRecording=filename=r.jfr  -Xss1m "))
        .containsExactly("-Xmx512m", "-XX:+UseSerialGC", "-XX:StartFlightRecording=filename=r.jfr", "-Xss1m");
  }
}
