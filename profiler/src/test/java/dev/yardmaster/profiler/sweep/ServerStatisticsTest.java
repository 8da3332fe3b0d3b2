package dev.yardmaster.profiler.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.profiler.load.FakeInferenceServer;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.profiler.report.SummaryTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue/compute split: arithmetic over two readings, and a backend without statistics. */
@Timeout(60)
class ServerStatisticsTest {

  @Test
  void splitIsTheDifferenceOfTwoReadingsPerRequestAndPerExecution() {
    ServerStatistics.Counters before = new ServerStatistics.Counters(100, 50_000_000, 100, 300_000_000, 400, 50);
    // 200 more requests: 40 ms more queueing, 160 ms more compute, 800 rows in 100 executions
    ServerStatistics.Counters after = new ServerStatistics.Counters(300, 90_000_000, 300, 460_000_000, 1200, 150);
    ServerSplit split = after.since(before);
    assertThat(split).isEqualTo(new ServerSplit(0.2, 0.8, 8.0, 200, 100));
    assertThat(split.serverMs()).isEqualTo(1.0);
    assertThat(before.since(before)).as("nothing computed in between").isNull();
  }

  @Test
  void executionTimeIsPerExecutionFromTheBatchStatsNotPerRequest() {
    ServerStatistics.Counters before = new ServerStatistics.Counters(0, 0, 0, 0, 0, 0, 0, 0);
    // a 2-row execution of 1 ms and a 6-row one of 3 ms: per request, compute is weighted by rows
    ServerStatistics.Counters after = new ServerStatistics.Counters(8, 0, 8, 20_000_000, 8, 2, 2, 4_000_000);
    ServerSplit split = after.since(before);
    assertThat(split.executionMs()).isEqualTo(2.0);
    assertThat(split.computeMs()).isEqualTo(2.5);
    assertThat(new ServerStatistics.Counters(8, 0, 8, 20_000_000, 8, 2).since(before).executionMs())
        .as("no batch_stats").isNull();
  }

  @Test
  void splitCoversOnlyTheLastWindows() {
    List<ServerStatistics.Counters> readings = new ArrayList<>();
    for (int i = 0; i <= 5; i++) { // window i costs i ms of compute per request, 10 requests each
      long compute = 0;
      for (int w = 1; w <= i; w++) {
        compute += w * 10_000_000L;
      }
      readings.add(new ServerStatistics.Counters(10L * i, 0, 10L * i, compute, 10L * i, 10L * i));
    }
    // last three windows: 3, 4 and 5 ms
    assertThat(PointMeasurement.split(readings, 3).computeMs()).isEqualTo(4.0);
    List<ServerStatistics.Counters> unavailable = new ArrayList<>(readings);
    unavailable.set(2, null);
    assertThat(PointMeasurement.split(unavailable, 3)).isNull();
  }

  @Test
  void backendWithoutStatisticsLeavesTheSplitAbsentAndSaysWhy() {
    List<String> noStatistics = new ArrayList<>();
    try (FakeInferenceServer server = new FakeInferenceServer()) {
      SweepResult result = Sweep.builder("echo", SweepPlan.quick(List.of(2), List.of(1, 2)))
          .listener(new SweepListener() {
            @Override
            public void onNoServerStatistics(SweepTarget target, String reason) {
              noStatistics.add(target.pool() + ": " + reason);
            }
          })
          .build().run(List.of(new SweepTarget(server.target(), "", "kserve", "fake", "c7g.xlarge", "cpu", 0.1)));
      assertThat(result.entries()).singleElement().satisfies(entry -> {
        assertThat(entry.grid()).hasSize(2);
        assertThat(entry.grid()).extracting(GridPoint::server).containsOnlyNulls();
        assertThat(entry.grid()).allSatisfy(p -> assertThat(p.meanMs()).isPositive());
      });
      assertThat(noStatistics).singleElement().asString().startsWith("fake: ModelStatistics: UNIMPLEMENTED");
      assertThat(SummaryTable.render(result.profile(), List.of()))
          .contains("queue/compute: n/a (backend exposes no statistics)");
    }
  }
}
