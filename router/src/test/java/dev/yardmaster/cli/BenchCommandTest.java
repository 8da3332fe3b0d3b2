package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.bench.ReportFiles;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bench in quick mode: its numbers are noise, its shape is what is checked. */
class BenchCommandTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void quickBenchWritesEverySection(@TempDir Path output) throws Exception {
    CliRun run = CliRun.of("bench", "--quick", "--concurrency", "1,16", "--rounds", "2", "--fill-rounds", "1",
        "--output-dir", output.toString());

    assertThat(run.exit()).as("exit code; stderr:%n%s", run.err()).isEqualTo(Main.EXIT_OK);
    assertThat(run.out()).contains("served (gRPC", "bare echo RPC", "raw in-process ONNX Runtime",
        "targets:", "srv batch", "wide_mlp paired rounds at c=16", "raw ORT batch 64 / batch 1 gain median",
        "wide_mlp batching on/off at c=16, median of 2 paired rounds", "targets met",
        "raw ORT at the batch the server executed", "= instance busy", "higgs_mlp_v1 served (batching on) and echo rounds at c=16",
        "higgs_mlp_v1 served (batching on, c=16) / echo c=16, median of 2 rounds", "c=1 rounds, batching off and on",
        "wide_mlp batching on/off at c=1, median of 2 rounds", "higgs_mlp_v1 batching on/off at c=1, median of 2 rounds");

    JsonNode report = ReportFiles.read(output.resolve("serving-latest.json"));
    assertThat(report.fieldNames()).toIterable()
        .contains("createdAt", "machine", "settings", "serving", "echo", "raw", "rounds", "echoRounds", "loneStreamRounds", "fillRounds",
            "checks");
    assertThat(report.get("serving")).hasSize(8);
    assertThat(report.get("echo")).hasSize(2);
    assertThat(report.get("raw")).hasSize(4);
    assertThat(report.get("checks")).hasSize(5);
    assertThat(report.get("rounds")).hasSize(2);
    for (JsonNode round : report.get("rounds")) {
      assertThat(round.get("servedOn").get("concurrency").asInt()).isEqualTo(16);
      assertThat(round.get("servedOff").get("batching").asBoolean()).isFalse();
      assertThat(round.get("rawBatchMax").get("batch").asInt()).isEqualTo(64);
      assertThat(round.get("rawBatch1").get("rowsPerSecond").asDouble()).isPositive();
      assertThat(round.get("rawAtServedBatch").get("batch").asInt()).as("the batch the server ran, %s", round)
          .isEqualTo((int) Math.max(1, Math.round(round.get("servedOn").get("server").get("batch").asDouble())));
      // the real server's batch_stats give the time per execution the factors divide
      assertThat(round.get("servedOn").get("server").get("execution_ms").asDouble()).isPositive();
    }
    assertThat(report.get("fillRounds")).singleElement().satisfies(round -> {
      assertThat(round.get("servedOn").get("concurrency").asInt()).isEqualTo(128);
      assertThat(round.get("rawBatchMax").get("batch").asInt()).isEqualTo(64);
    });
    assertThat(run.out()).contains("wide_mlp paired rounds at c=128, a load that fills 64-row batches");
    assertThat(run.out()).doesNotContain("c=128, median");
    assertThat(report.get("echoRounds")).hasSize(2);
    assertThat(report.get("loneStreamRounds")).hasSize(4); // 2 rounds x 2 models
    for (JsonNode round : report.get("loneStreamRounds")) {
      assertThat(round.get("off").get("concurrency").asInt()).isEqualTo(1);
      assertThat(round.get("off").get("batching").asBoolean()).isFalse();
      assertThat(round.get("on").get("batching").asBoolean()).isTrue();
      assertThat(round.get("on").get("model").asText()).isEqualTo(round.get("off").get("model").asText());
      assertThat(round.get("on").get("result").get("inferencesPerSecond").asDouble()).isPositive();
    }
    for (JsonNode round : report.get("echoRounds")) {
      assertThat(round.get("served").get("model").asText()).isEqualTo("higgs_mlp_v1");
      assertThat(round.get("served").get("batching").asBoolean()).isTrue();
      assertThat(round.get("echo").get("model").asText()).isEqualTo("echo");
      assertThat(round.get("echo").get("result").get("inferencesPerSecond").asDouble()).isPositive();
    }
    for (String section : new String[] {"serving", "echo"}) {
      for (JsonNode point : report.get(section)) {
        assertThat(point.get("result").get("inferencesPerSecond").asDouble()).as("%s", point).isPositive();
        assertThat(point.get("result").get("errors")).as("%s", point).isEmpty();
      }
    }
    for (JsonNode point : report.get("serving")) {
      // the server's own count of what it executed: batching off runs each one-row request alone
      double batch = point.get("server").get("batch").asDouble();
      assertThat(batch).as("%s", point).isGreaterThanOrEqualTo(1.0);
      if (!point.get("batching").asBoolean()) {
        assertThat(batch).as("%s", point).isEqualTo(1.0);
      }
    }
    for (JsonNode point : report.get("echo")) {
      assertThat(point.get("server").isNull()).as("%s", point).isTrue();
    }
    for (JsonNode point : report.get("raw")) {
      assertThat(point.get("rowsPerSecond").asDouble()).as("%s", point).isPositive();
    }
    assertThat(report.get("settings").get("intraOpThreads").asInt()).isEqualTo(1);
  }

  @Test
  void negativeRoundsAreAUsageError() {
    CliRun run = CliRun.of("bench", "--quick", "--rounds", "-1");

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.err()).contains("--rounds: -1 (expected: >= 0)");
    CliRun fill = CliRun.of("bench", "--quick", "--fill-rounds", "-2");
    assertThat(fill.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(fill.err()).contains("--fill-rounds: -2 (expected: >= 0)");
  }

  @Test
  void durationsReadAsOperatorsWriteThem() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("250ms").toMillis()).isEqualTo(250);
    assertThat(converter.convert("1.5s").toMillis()).isEqualTo(1500);
    assertThat(converter.convert("2m").toSeconds()).isEqualTo(120);
    assertThat(converter.convert("PT3S").toSeconds()).isEqualTo(3);
  }
}
