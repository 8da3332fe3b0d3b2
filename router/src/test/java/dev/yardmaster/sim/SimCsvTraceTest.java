package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.router.policy.Tier;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class SimCsvTraceTest {

  private static Trace read(String csv) throws IOException {
    return CsvTraces.read(new StringReader(csv), "trace.csv", "higgs_mlp", Tier.DEFAULTS);
  }

  @Test
  void readsHeaderCommentsOptionalRowsAndSortsByTime() throws IOException {
    Trace trace = read("timestamp_ms,model,tier,rows\n# a comment\n"
        + "1005,higgs_mlp,GOLD,4\n1000,higgs_mlp,bronze\n\n1002,higgs_mlp,silver,2\n");
    assertThat(trace.size()).isEqualTo(3);
    assertThat(trace.atNanos(0)).isZero();
    assertThat(trace.tier(0)).isEqualTo(2);
    assertThat(trace.rows(0)).isEqualTo(1);
    assertThat(trace.atNanos(1)).isEqualTo(2_000_000);
    assertThat(trace.rows(1)).isEqualTo(2);
    assertThat(trace.atNanos(2)).isEqualTo(5_000_000);
    assertThat(trace.tier(2)).isZero();
    assertThat(trace.durationNanos()).isEqualTo(6_000_000);
  }

  @Test
  void badTierNamesLineAndColumn() {
    assertThatThrownBy(() -> read("timestamp_ms,model,tier\n0,higgs_mlp,gold\n5,higgs_mlp,platinum\n"))
        .isInstanceOfSatisfying(TraceFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(3);
          assertThat(e.column()).isEqualTo(3);
        })
        .hasMessage("trace.csv line 3, column 3: tier: \"platinum\" (expected: one of [gold, silver, bronze])");
  }

  @Test
  void badTimestampModelAndRowsNameTheirColumns() {
    assertThatThrownBy(() -> read("0,higgs_mlp,gold\nsoon,higgs_mlp,gold\n"))
        .hasMessage("trace.csv line 2, column 1: timestamp_ms: \"soon\" (expected: an integer)");
    assertThatThrownBy(() -> read("-3,higgs_mlp,gold\n"))
        .hasMessage("trace.csv line 1, column 1: timestamp_ms: -3 (expected: >= 0)");
    assertThatThrownBy(() -> read("0,wide_mlp,gold\n"))
        .hasMessage("trace.csv line 1, column 2: model: \"wide_mlp\" (expected: higgs_mlp, the scenario's model)");
    assertThatThrownBy(() -> read("0,higgs_mlp,gold,0\n"))
        .hasMessage("trace.csv line 1, column 4: rows: 0 (expected: >= 1)");
  }

  @Test
  void wrongFieldCountAndEmptyTraceNameTheLine() {
    assertThatThrownBy(() -> read("0,higgs_mlp\n"))
        .isInstanceOfSatisfying(TraceFormatException.class, e -> assertThat(e.column()).isZero())
        .hasMessage("trace.csv line 1: 2 fields (expected: timestamp_ms,model,tier[,rows])");
    assertThatThrownBy(() -> read("timestamp_ms,model,tier\n"))
        .hasMessage("trace.csv line 1: no requests (expected: at least one line timestamp_ms,model,tier[,rows])");
  }
}
