package dev.yardmaster.router.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.profiler.load.CallKind;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingTargetsTest {

  static SweepPoint point(String model, int concurrency, boolean batching, double inferencesPerSecond) {
    LoadResult result = new LoadResult(CallKind.MODEL_INFER, concurrency, 100, 100, Map.of(), 1.0,
        inferencesPerSecond, inferencesPerSecond, 1.0, 1.5, 1.8, 2.0, 3.0, 1.1, 10, 0, 0);
    return new SweepPoint(model, concurrency, batching, result);
  }

  private static final List<SweepPoint> SERVING = List.of(
      point("higgs_mlp_v1", 1, false, 1000), point("higgs_mlp_v1", 1, true, 950),
      point("higgs_mlp_v1", 64, false, 5000), point("higgs_mlp_v1", 64, true, 7000),
      point("wide_mlp", 1, false, 300), point("wide_mlp", 1, true, 240),
      point("wide_mlp", 64, false, 400), point("wide_mlp", 64, true, 2000));
  private static final List<SweepPoint> ECHO = List.of(
      point(ServingSweep.ECHO_LABEL, 1, false, 3000), point(ServingSweep.ECHO_LABEL, 64, false, 10000));
  private static final List<RawPoint> RAW = List.of(
      new RawPoint("wide_mlp", 1, 100, 1.0, 350, 2.9), new RawPoint("wide_mlp", 64, 40, 1.0, 2400, 26.0));

  @Test
  void checksEachBudgetWithTheRatioItNames() {
    List<TargetCheck> checks = ServingTargets.check(SERVING, ECHO, RAW);

    assertThat(checks).extracting(TargetCheck::name).containsExactly(
        "wide_mlp batching on/off at c=64",
        "wide_mlp served (batching on, c=64) / raw ORT batch 64",
        "higgs_mlp_v1 served (batching on, c=64) / echo c=64",
        "higgs_mlp_v1 batching on/off at c=1",
        "wide_mlp batching on/off at c=1");
    assertThat(checks).extracting(TargetCheck::ratio)
        .containsExactly(5.0, 2000.0 / 2400, 0.7, 0.95, 0.8);
    assertThat(checks).extracting(TargetCheck::passed).containsExactly(true, true, true, true, false);
  }

  @Test
  void echoRoundsJudgeServedOverEchoByTheirMedianNotTheSweepsSinglePoints() {
    // the sweep's single points say 7000 / 10000 = 0.7; the rounds, back to back, say otherwise
    List<EchoRound> rounds = List.of(
        new EchoRound(1, point("higgs_mlp_v1", 64, true, 5000), point(ServingSweep.ECHO_LABEL, 64, false, 10000)),
        new EchoRound(2, point("higgs_mlp_v1", 64, true, 6000), point(ServingSweep.ECHO_LABEL, 64, false, 9000)),
        new EchoRound(3, point("higgs_mlp_v1", 64, true, 4000), point(ServingSweep.ECHO_LABEL, 64, false, 8000)));

    TargetCheck check = ServingTargets.check(SERVING, ECHO, RAW, new BenchRounds(List.of(), rounds, List.of())).stream()
        .filter(c -> c.name().contains("echo")).findFirst().orElseThrow();

    assertThat(check.name()).isEqualTo("higgs_mlp_v1 served (batching on, c=64) / echo c=64, median of 3 rounds");
    assertThat(check.ratio()).isEqualTo(0.5); // of 0.5, 0.667, 0.5
    assertThat(check.numerator()).isEqualTo(5000);
    assertThat(check.denominator()).isEqualTo(9000);
    assertThat(check.passed()).isFalse();
    assertThat(SweepTables.echoRounds(rounds)).contains("served/echo").contains("0.67");
  }

  @Test
  void loneStreamRoundsJudgeEachModelsC1BudgetByItsMedian() {
    // the sweep's single wide_mlp points say 240 / 300 = 0.8 (FAIL); rounds taken back to back say 1.0
    List<LoneStreamRound> rounds = List.of(
        new LoneStreamRound(1, point("wide_mlp", 1, false, 300), point("wide_mlp", 1, true, 300)),
        new LoneStreamRound(1, point("higgs_mlp_v1", 1, false, 1000), point("higgs_mlp_v1", 1, true, 800)),
        new LoneStreamRound(2, point("wide_mlp", 1, false, 250), point("wide_mlp", 1, true, 200)),
        new LoneStreamRound(2, point("higgs_mlp_v1", 1, false, 1000), point("higgs_mlp_v1", 1, true, 700)),
        new LoneStreamRound(3, point("wide_mlp", 1, false, 280), point("wide_mlp", 1, true, 308)),
        new LoneStreamRound(3, point("higgs_mlp_v1", 1, false, 1000), point("higgs_mlp_v1", 1, true, 1200)));

    List<TargetCheck> checks = ServingTargets.check(SERVING, ECHO, RAW, new BenchRounds(List.of(), List.of(), rounds));

    assertThat(checks).extracting(TargetCheck::name).endsWith(
        "higgs_mlp_v1 batching on/off at c=1, median of 3 rounds",
        "wide_mlp batching on/off at c=1, median of 3 rounds");
    TargetCheck higgs = checks.get(3);
    TargetCheck wide = checks.get(4);
    assertThat(higgs.ratio()).isEqualTo(0.8); // of 0.8, 0.7, 1.2
    assertThat(higgs.passed()).isFalse();
    assertThat(wide.ratio()).isEqualTo(1.0); // of 1.0, 0.8, 1.1
    assertThat(wide.numerator()).isEqualTo(300);
    assertThat(wide.denominator()).isEqualTo(280);
    assertThat(wide.passed()).isTrue();
    assertThat(SweepTables.loneStreamRounds(rounds).lines().findFirst().orElseThrow())
        .contains("round", "model", "off inf/s", "on inf/s", "on/off");
    assertThat(SweepTables.loneStreamRounds(rounds)).contains("0.70").contains("1.10");
  }

  private static PairedRound round(int index, double rawBatch1, double rawBatch64, double off, double on) {
    return new PairedRound(index, new RawPoint("wide_mlp", 1, 10, 1.0, rawBatch1, 1.0),
        new RawPoint("wide_mlp", 64, 10, 1.0, rawBatch64, 1.0), point("wide_mlp", 64, false, off),
        point("wide_mlp", 64, true, on));
  }

  /** Speed-ups 5.0, 3.5, 4.5: the median is 4.5 (not the sweep's, not the mean of 4.33). */
  private static final List<PairedRound> ROUNDS = List.of(
      round(1, 2000, 10000, 2000, 10000), round(2, 2800, 10000, 2800, 9800), round(3, 2000, 9000, 2000, 9000));

  @Test
  void pairedRoundsJudgeTheWideBudgetsByTheirMedian() {
    List<TargetCheck> checks = ServingTargets.check(SERVING, ECHO, RAW, new BenchRounds(ROUNDS, List.of(), List.of()));

    assertThat(checks).extracting(TargetCheck::name).startsWith(
        "wide_mlp batching on/off at c=64, median of 3 paired rounds",
        "wide_mlp served (batching on, c=64) / raw ORT batch 64, median of 3 paired rounds");
    assertThat(checks.get(0).ratio()).isEqualTo(4.5);
    assertThat(checks.get(0).numerator()).isEqualTo(9800);
    assertThat(checks.get(0).denominator()).isEqualTo(2000);
    assertThat(checks.get(1).ratio()).isEqualTo(1.0);
    assertThat(checks).hasSize(5);
    assertThat(ServingTargets.roundsSummary(ROUNDS)).hasValueSatisfying(line -> assertThat(line)
        .startsWith("wide_mlp over 3 paired rounds: raw ORT batch 64 / batch 1 gain median 4.50x"
            + " (3.57..5.00), served batching on/off median 4.50x (3.50..5.00), i.e. 1.00 of raw's gain"));
    assertThat(SweepTables.rounds(ROUNDS).lines().skip(2).findFirst().orElseThrow())
        .contains("2800", "3.57x", "3.50x", "0.98");
  }

  @Test
  void roundsWithARawPointAtTheServedBatchSayWhatServingKeepsThere() {
    LoadResult on = point("wide_mlp", 64, true, 9000).result();
    List<PairedRound> rounds = List.of(1, 2, 3).stream().map(i -> new PairedRound(i,
        new RawPoint("wide_mlp", 1, 10, 1.0, 2000, 1.0), new RawPoint("wide_mlp", 64, 10, 1.0, 12000, 1.0),
        point("wide_mlp", 64, false, 2000),
        new SweepPoint("wide_mlp", 64, true, on, Double.NaN, new ServerSplit(1.0, 2.0, 29 + i, 100, 10)),
        new RawPoint("wide_mlp", 30, 10, 1.0, 9000 + 1000 * i, 1.0))).toList();

    // 9000 over 10000, 11000, 12000: median 9000 / 11000; against the largest batch 9000 / 12000
    assertThat(ServingTargets.roundsSummary(rounds)).hasValueSatisfying(line -> assertThat(line).contains(
        "served (batching on) / raw ORT at the batch the server executed (median 31.0 rows): median 0.82x"
            + " (0.75..0.90), against 0.75x of raw at batch 64"));
    assertThat(SweepTables.rounds(rounds).lines().findFirst().orElseThrow()).contains("raw at srv batch");
    assertThat(SweepTables.rounds(rounds).lines().skip(1).findFirst().orElseThrow()).contains("10000", "0.90");
    assertThat(ServingTargets.roundsSummary(ROUNDS)).hasValueSatisfying(line -> assertThat(line)
        .doesNotContain("the batch the server executed"));
  }

  @Test
  void servedOverRawIsTheProductOfInstanceBusyComputeSpeedUnderLoadAndBatchShape() {
    // served 9000 rows/s in 30-row executions of 3.0 ms: the instance executed 9000 * 3.0 / 30 = 90%
    // of the time; raw ran 30 rows in 2.4 ms alone (speed under load 0.8, 12500 rows/s) against
    // 16000 rows/s at batch 64 (batch shape 0.78125)
    SweepPoint on = new SweepPoint("wide_mlp", 64, true, point("wide_mlp", 64, true, 9000).result(), Double.NaN,
        new ServerSplit(1.0, 3.2, 30, 100, 10, 3.0));
    PairedRound round = new PairedRound(1, new RawPoint("wide_mlp", 1, 10, 1.0, 2000, 0.5),
        new RawPoint("wide_mlp", 64, 10, 1.0, 16000, 4.0), point("wide_mlp", 64, false, 2000), on,
        new RawPoint("wide_mlp", 30, 10, 1.0, 12500, 2.4));

    assertThat(round.instanceBusy()).isCloseTo(0.9, within(1e-9));
    assertThat(round.computeSpeedUnderLoad()).isCloseTo(0.8, within(1e-9));
    assertThat(round.batchShape()).isCloseTo(0.78125, within(1e-9));
    assertThat(round.instanceBusy() * round.computeSpeedUnderLoad() * round.batchShape())
        .isCloseTo(round.servedOverRaw(), within(1e-9));
    assertThat(ServingTargets.roundsSummary(List.of(round))).hasValueSatisfying(line -> assertThat(line).contains(
        "= instance busy 0.90 (the serving path's share) x compute speed under load 0.80 (the machine)"
            + " x batch shape 0.78 (the load's batch on this CPU)"));
    assertThat(SweepTables.rounds(List.of(round)).lines().skip(1).findFirst().orElseThrow())
        .matches(".*  0\\.72 +0\\.90 +0\\.80 +0\\.78");
  }

  @Test
  void withoutTheServersExecutionTimeTheFactorsAreUnknown() {
    assertThat(ROUNDS).allSatisfy(round -> {
      assertThat(round.instanceBusy()).isNaN();
      assertThat(round.computeSpeedUnderLoad()).isNaN();
    });
    assertThat(ServingTargets.roundsSummary(ROUNDS)).hasValueSatisfying(line -> assertThat(line)
        .doesNotContain("instance busy"));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(PairedRound.median(ROUNDS.subList(0, 2), PairedRound::batchingSpeedUp)).isEqualTo(4.25);
    assertThat(PairedRound.median(List.of(), PairedRound::batchingSpeedUp)).isNaN();
  }

  @Test
  void leavesOutChecksWhosePointsTheRunSkipped() {
    assertThat(ServingTargets.check(SERVING, List.of(), List.of()))
        .extracting(TargetCheck::name)
        .doesNotContain("higgs_mlp_v1 served (batching on, c=64) / echo c=64")
        .hasSize(3);
  }

  @Test
  void zeroBaselineFailsRatherThanDividingByZero() {
    TargetCheck check = TargetCheck.of("x", 10, 0, 1.0);
    assertThat(check.ratio()).isZero();
    assertThat(check.passed()).isFalse();
  }

  @Test
  void tableShowsTheSpeedUpOnBatchingRows() {
    String table = SweepTables.serving(SERVING);
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("model", "c", "batching", "inf/s", "p50 ms", "p99 ms", "errors", "speed-up");
    assertThat(table).contains("5.00x").contains("1.40x");
    assertThat(table.lines()).hasSize(SERVING.size() + 1);
    assertThat(ServingTargets.render(ServingTargets.check(SERVING, ECHO, RAW)))
        .contains("PASS    5.00x  (target >= 4.0x)  wide_mlp batching on/off at c=64")
        .contains("FAIL    0.80x  (target >= 0.9x)  wide_mlp batching on/off at c=1");
  }

  @Test
  void comparesServedWithEchoByCpuPerRequest() {
    LoadResult result = SERVING.get(3).result();
    List<SweepPoint> serving = List.of(new SweepPoint("higgs_mlp_v1", 64, true, result, 40.0));
    List<SweepPoint> echo = List.of(new SweepPoint(ServingSweep.ECHO_LABEL, 64, false, result, 24.0));

    assertThat(ServingTargets.servedVsEchoByCpu(serving, echo)).hasValueSatisfying(line -> assertThat(line)
        .startsWith("0.60x  higgs_mlp_v1 served (batching on, c=64) / echo by CPU per request")
        .contains("[echo 24.0 us / served 40.0 us]"));
  }

  @Test
  void leavesTheCpuComparisonOutWithoutCpuMeasurements() {
    assertThat(ServingTargets.servedVsEchoByCpu(SERVING, ECHO)).isEmpty();
  }
}
