package dev.yardmaster.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.pricing.PriceResolver;
import dev.yardmaster.profiler.pricing.PriceSource;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.profiler.report.ProfileHtmlReport;
import dev.yardmaster.profiler.report.SummaryTable;
import dev.yardmaster.profiler.sweep.MissingTarget;
import dev.yardmaster.profiler.sweep.Sweep;
import dev.yardmaster.profiler.sweep.SweepPlan;
import dev.yardmaster.profiler.sweep.SweepResult;
import dev.yardmaster.profiler.sweep.SweepTarget;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.profile.ServiceCurves;
import dev.yardmaster.router.server.YardmasterServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps a real in-process ORT server and a second Yardmaster server reached as a remote KServe v2
 * endpoint, on loopback, with a tiny grid; plus an unreachable endpoint and a missing model.
 */
@Timeout(120)
class ProfileSweepTest {
  @TempDir static Path repository;
  static YardmasterServer local;
  static YardmasterServer remote;
  static SweepResult result;

  @BeforeAll
  static void sweep() throws Exception {
    DemoModels.writeRepository(repository, true);
    local = start();
    remote = start();
    SweepPlan plan = SweepPlan.quick(List.of(1, 16, 64), List.of(1, 4));
    try (PriceResolver prices = PriceResolver.of(List.of(PriceSource.offlineTable()))) {
      result = Sweep.builder(DemoModels.HIGGS_MLP_V1, plan).prices(prices).build().run(List.of(
          new SweepTarget(new Target("127.0.0.1", local.grpcPort()), "", "onnxruntime", "cpu-local",
              "c7g.xlarge", "cpu", null),
          new SweepTarget(new Target("127.0.0.1", remote.grpcPort()), "", "kserve", "remote-cpu",
              "no-such.instance", "cpu", null),
          new SweepTarget(new Target("127.0.0.1", 1), "", "kserve", "gpu-gone", "g5.xlarge", "gpu", null)));
    }
  }

  private static YardmasterServer start() {
    RepositoryModelManager manager = new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(),
        Schedulers.factory(), RepositoryOptions.loadAllModels());
    return YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
  }

  @AfterAll
  static void stop() {
    local.stop();
    remote.stop();
  }

  @Test
  void measuresBothReachableBackendsWithSaneNumbers() {
    assertThat(result.entries()).extracting(ProfileEntry::pool).containsExactly("cpu-local", "remote-cpu");
    for (ProfileEntry entry : result.entries()) {
      assertThat(entry.grid()).hasSize(6);
      for (GridPoint point : entry.grid()) {
        assertThat(point.errors()).as("errors at %s", point).isZero();
        assertThat(point.throughput()).isPositive();
        assertThat(point.p99Ms()).isGreaterThanOrEqualTo(point.p50Ms());
        assertThat(point.maxMs()).isGreaterThanOrEqualTo(point.p99Ms());
      }
      // batching amortises per-request cost: rows/s grows with batch at c=1
      assertThat(point(entry, 16, 1).throughput()).isGreaterThan(point(entry, 1, 1).throughput() * 2);
      assertThat(point(entry, 64, 1).throughput()).isGreaterThan(point(entry, 1, 1).throughput() * 2);
    }
  }

  @Test
  void splitsServerQueueAndComputeFromTheBackendsStatistics() {
    for (ProfileEntry entry : result.entries()) {
      for (GridPoint point : entry.grid()) {
        ServerSplit server = point.server();
        assertThat(server).as("server split at %s on %s", point, entry.pool()).isNotNull();
        assertThat(server.computeMs()).isPositive();
        assertThat(server.queueMs()).isNotNegative();
        // the server's share of a request never exceeds what the client saw
        assertThat(server.serverMs()).isLessThanOrEqualTo(point.meanMs());
        assertThat(server.batch()).isGreaterThanOrEqualTo(1.0);
        assertThat(server.requests()).isPositive();
      }
      // one stream sends one request at a time: the server runs exactly the client's batch
      assertThat(point(entry, 16, 1).server().batch()).isEqualTo(16.0);
    }
    String summary = SummaryTable.render(result.profile(), List.of());
    assertThat(summary).contains("queue ms", "compute ms", "srv batch").doesNotContain("n/a (backend");
    assertThat(ProfileHtmlReport.render(result.profile(), List.of())).contains("server compute ms");
  }

  @Test
  void pricesFromTheTableAndMarksWhatIsMissing() {
    assertThat(result.entries().get(0).pricePerHour()).isPositive();
    assertThat(result.entries().get(1).pricePerHour()).isZero();
    assertThat(result.missing()).extracting(MissingTarget::pool, MissingTarget::what)
        .contains(org.assertj.core.groups.Tuple.tuple("remote-cpu", "price"),
            org.assertj.core.groups.Tuple.tuple("gpu-gone", "endpoint"));
    assertThat(result.missing().stream().filter(m -> m.pool().equals("gpu-gone")).findFirst().orElseThrow().reason())
        .contains("UNAVAILABLE").contains("(expected: a reachable KServe v2 gRPC endpoint)");
    assertThat(result.interrupted()).isFalse();
  }

  @Test
  void derivesTierFactsAndBatchingAdvice() {
    ProfileEntry entry = result.entries().get(0);
    assertThat(entry.derived()).isNotNull();
    assertThat(entry.derived().latencyFit()).isNotNull();
    assertThat(entry.derived().tiers()).hasSize(3);
    assertThat(entry.derived().tiers().get(2).maxThroughput()).isPositive(); // bronze: best effort
    assertThat(entry.derived().tiers().get(2).costPerMillion()).isPositive();
    assertThat(entry.derived().batching()).hasSize(3);
    assertThat(entry.derived().batching().get(2).preferredBatchSizes()).isNotEmpty();
  }

  @Test
  void profileRoundTripsAndTheRouterConsumesIt() throws Exception {
    Profile profile = result.profile();
    Profile read = ProfileFiles.parse(ProfileFiles.toJson(profile, "higgs.json"), "higgs.json");
    assertThat(read).isEqualTo(profile);
    ServiceCurve curve = ServiceCurves.find(read, read.entries().get(0).modelVersion(), "cpu-local", Tier.DEFAULTS);
    assertThat(curve).isNotNull();
  }

  @Test
  void missingModelIsMarkedAndTheSweepGoesOn() {
    SweepResult missingModel = Sweep.builder("no_such_model", SweepPlan.quick(List.of(1), List.of(1))).build()
        .run(List.of(new SweepTarget(new Target("127.0.0.1", local.grpcPort()), "", "onnxruntime", "cpu-local",
            "c7g.xlarge", "cpu", 0.1)));
    assertThat(missingModel.entries()).isEmpty();
    assertThat(missingModel.missing()).singleElement().satisfies(m -> {
      assertThat(m.what()).isEqualTo("model");
      assertThat(m.reason()).contains("NOT_FOUND");
    });
  }

  @Test
  void stopEndsTheSweepWithPartialResults() {
    Sweep sweep = Sweep.builder(DemoModels.HIGGS_MLP_V1, SweepPlan.quick(List.of(1, 2, 4), List.of(1, 2))).build();
    Thread stopper = new Thread(() -> {
      try {
        Thread.sleep(1200);
      } catch (InterruptedException e) {
        return;
      }
      sweep.stop();
    });
    stopper.start();
    SweepResult partial = sweep.run(List.of(new SweepTarget(new Target("127.0.0.1", local.grpcPort()), "",
        "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.1)));
    assertThat(partial.interrupted()).isTrue();
    assertThat(partial.entries()).singleElement().satisfies(e -> assertThat(e.grid()).hasSizeBetween(1, 5));
    // every planned point is either measured or listed as unmeasured
    assertThat(partial.profile().unmeasured()).hasSize(6 - partial.entries().get(0).grid().size())
        .allSatisfy(p -> assertThat(p.reason()).isEqualTo("interrupted"));
  }

  @Test
  void fixedRateModeOffersTheRateNotMore() {
    SweepResult fixed = Sweep.builder(DemoModels.HIGGS_MLP_V1, SweepPlan.quick(List.of(1), List.of(8)).fixedRate(200))
        .build().run(List.of(new SweepTarget(new Target("127.0.0.1", local.grpcPort()), "", "onnxruntime",
            "cpu-local", "c7g.xlarge", "cpu", 0.1)));
    GridPoint point = fixed.entries().get(0).grid().get(0);
    assertThat(point.throughput()).isBetween(140.0, 260.0);
    assertThat(point.errors()).isZero();
  }

  private static GridPoint point(ProfileEntry entry, int batch, int concurrency) {
    return entry.grid().stream().filter(p -> p.batch() == batch && p.concurrency() == concurrency)
        .findFirst().orElseThrow();
  }
}
