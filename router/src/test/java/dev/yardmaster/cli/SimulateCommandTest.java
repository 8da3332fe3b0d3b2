package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

  @TempDir Path dir;
  private CliRun last = new CliRun(-1, "", "");

  /** Runs the CLI; {@link #last} keeps what it wrote. */
  private int run(String... args) {
    last = CliRun.of(args);
    return last.exit();
  }

  @Test
  void writesJsonAndHtmlAndPrintsJsonOnStdout() throws Exception {
    int code = run("simulate", "--duration", "3s", "--peak-rate", "400", "--trough-rate", "40",
        "--policies", "cost-aware,gpu-only", "--out", dir.toString(), "--format", "json");
    assertThat(code).as(last.err()).isEqualTo(Main.EXIT_OK);
    JsonNode json = new ObjectMapper().readTree(last.out());
    assertThat(json.get("scenario").asText()).isEqualTo("seed");
    assertThat(json.get("policies")).hasSize(2);
    assertThat(json.get("policies").get(0).get("cost_per_million").asDouble()).isPositive();
    assertThat(Files.readString(dir.resolve("sim-seed.json"))).isEqualTo(last.out());
    assertThat(Files.readString(dir.resolve("sim-seed.html"))).contains("data:image/png;base64,");
    assertThat(last.err()).contains("cost-aware   try  1").contains("wrote ");
  }

  @Test
  void replaysACsvTrace() throws Exception {
    Path csv = dir.resolve("trace.csv");
    Files.writeString(csv, "timestamp_ms,model,tier,rows\n0,higgs_mlp,gold,2\n3,higgs_mlp,bronze\n");
    int code = run("simulate", "--trace", csv.toString(), "--policies", "cpu-only", "--quiet",
        "--out", dir.toString());
    assertThat(code).as(last.err()).isEqualTo(Main.EXIT_OK);
    assertThat(last.out()).contains("replay of trace.csv: 2 requests, 3 inferences")
        .contains("cpu-c7g=1");
  }

  @Test
  void badCsvIsAUsageErrorNamingLineAndColumn() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "0,higgs_mlp,gold\n1,higgs_mlp,tin\n");
    assertThat(run("simulate", "--trace", csv.toString(), "--out", dir.toString()))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(last.err()).contains("bad.csv line 2, column 3: tier: \"tin\"");
    assertThat(last.out()).isEmpty();
  }

  @Test
  void unknownPolicyAndBadDurationAreUsageErrors() {
    assertThat(run("simulate", "--policies", "fastest")).isEqualTo(Main.EXIT_USAGE);
    assertThat(last.err()).contains("policy: \"fastest\" (expected: one of cost-aware, gpu-only");
    assertThat(run("simulate", "--duration", "soon")).isEqualTo(Main.EXIT_USAGE);
    assertThat(last.err()).contains("--duration: soon (expected: > 0 and <= 24h");
  }
}
