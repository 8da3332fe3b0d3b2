package dev.yardmaster.router.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class FootprintBudgetsTest {

  @Test
  void flatResidentMemoryWithNoiseDoesNotGrow() {
    List<SoakSample> samples = samples(10, minute -> 400 + (minute % 2 == 0 ? 3 : -3));
    assertThat(FootprintBudgets.growthMiB(samples, 2, SoakSample::rssMiB).orElseThrow()).isCloseTo(0, within(2.0));
  }

  @Test
  void aSteadyLeakGrowsByItsRateTimesTheSpanAfterWarmUp() {
    // the first two windows (heap sizing) rise fast and are left out; then 5 MiB a minute over minutes 2..9
    List<SoakSample> samples = samples(10, minute -> minute < 2 ? 100 + 100 * minute : 400 + 5 * minute);
    assertThat(FootprintBudgets.growthMiB(samples, 2, SoakSample::rssMiB).orElseThrow())
        .isCloseTo(35, within(1e-9));
    List<FootprintBudget> budgets = FootprintBudgets.check(List.of(3.0), samples, 2);
    assertThat(budgets).filteredOn(b -> b.name().startsWith("resident memory growth")).singleElement()
        .satisfies(b -> assertThat(b.passed()).as("35 MiB > 20 MiB").isFalse());
  }

  @Test
  void growthIsNotJudgedOnFewerThanThreeSamplesAfterWarmUp() {
    List<SoakSample> samples = samples(4, minute -> 400 + 50 * minute);
    assertThat(FootprintBudgets.growthMiB(samples, 2, SoakSample::rssMiB)).isEmpty();
    assertThat(FootprintBudgets.check(List.of(3.0), samples, 2)).extracting(FootprintBudget::name)
        .noneMatch(name -> name.startsWith("resident memory growth"));
  }

  @Test
  void eachBudgetJudgesItsOwnMeasure() {
    List<SoakSample> samples = new ArrayList<>(samples(6, minute -> 500));
    samples.add(new SoakSample(6, 1000, 5, 1000, 3, 500.0, 1100.0, 100.0, 50.0, null, 20.0));

    List<FootprintBudget> budgets = FootprintBudgets.check(List.of(4.0, 6.5, 5.5), samples, 1);

    assertThat(budgets).extracting(FootprintBudget::name, FootprintBudget::measured, FootprintBudget::passed)
        .containsExactly(
            tuple("start-up to /v2/health/ready (median of 3 launches)", 5.5, false),
            tuple("peak resident memory (VmHWM) under load", 1100.0, false),
            tuple("resident memory growth after warm-up (least-squares line)", 0.0, true),
            tuple("failed requests", 3.0, false));
    assertThat(FootprintBudgets.render(budgets)).contains("FAIL       5.5 s", "PASS       0.0 MiB");
  }

  @Test
  void withoutResidentMemoryOnlyStartUpAndErrorsAreJudged() {
    List<SoakSample> samples = List.of(new SoakSample(1, 1000, 5, 1000, 0, null, null, null, null, null, null));
    assertThat(FootprintBudgets.check(List.of(2.0), samples, 0)).extracting(FootprintBudget::passed)
        .containsExactly(true, true);
  }

  /** One sample a minute, minutes 0 to count - 1, resident memory from the function. */
  private static List<SoakSample> samples(int count, DoubleUnaryOperator rssByMinute) {
    List<SoakSample> samples = new ArrayList<>();
    for (int minute = 0; minute < count; minute++) {
      double rss = rssByMinute.applyAsDouble(minute);
      samples.add(new SoakSample(minute, 1000, 5, 1000, 0, rss, rss, 100.0, 50.0, null, 20.0));
    }
    return samples;
  }
}
