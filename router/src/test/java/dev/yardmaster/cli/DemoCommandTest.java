package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.bench.ReportFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo end to end in quick mode: two real servers on port 0, real gRPC load. */
class DemoCommandTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void quickDemoServesEveryPointWithoutErrorsAndWritesJson(@TempDir Path output) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));

    int exit = command.execute("demo", "--quick", "--output-dir", output.toString());

    assertThat(exit).as("exit code; stderr:%n%s", err).isEqualTo(Main.EXIT_OK);
    assertThat(err.toString()).contains("batching off: grpc ", "batching on:  grpc ", "[16/16]");
    String table = out.toString().strip();
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("model", "c", "batching", "inf/s", "p50 ms", "p99 ms", "speed-up");
    assertThat(table.lines().skip(1)).hasSize(16)
        .allMatch(line -> line.startsWith("higgs_mlp_v1") || line.startsWith("wide_mlp"));

    JsonNode report = ReportFiles.read(output.resolve("demo-latest.json"));
    assertThat(report.get("serving")).hasSize(16);
    for (JsonNode point : report.get("serving")) {
      assertThat(point.get("result").get("inferencesPerSecond").asDouble()).as("%s", point).isPositive();
      assertThat(point.get("result").get("errors")).as("%s", point).isEmpty();
    }
    try (var files = Files.list(output)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .anyMatch(name -> name.matches("demo-\\d{8}T\\d{6}Z\\.json"));
    }
  }

  @Test
  void badConcurrencyIsAUsageError(@TempDir Path output) {
    CommandLine command = Main.commandLine();
    StringWriter err = new StringWriter();
    command.setErr(new PrintWriter(err));
    assertThat(command.execute("demo", "--concurrency", "0", "--output-dir", output.toString()))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("concurrencies: [0] (expected: at least one, each >= 1)");
  }
}
