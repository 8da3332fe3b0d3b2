package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.bench.ReportFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A short soak of a real server process: its figures are this machine's, its shape is what is checked. */
class SoakCommandTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void shortSoakTimesStartUpSamplesMemoryAndJudgesTheBudgets(@TempDir Path output) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "resident memory needs Linux's /proc");

    CliRun run = CliRun.of("soak", "--duration", "6s", "--window", "2s", "--startups", "1", "--concurrency", "8",
        "--output-dir", output.toString());

    assertThat(run.exit()).as("exit code; stderr:%n%s", run.err()).isEqualTo(Main.EXIT_OK);
    assertThat(run.err()).contains("soak: launch 1 of 1 ready in", "soak: window 3 of 3",
        "soak: server stopped");
    assertThat(run.out()).contains("start-up to ready:", "budgets (DESIGN.md):",
        "start-up to /v2/health/ready (median of 1 launches)", "peak resident memory (VmHWM) under load",
        "failed requests");

    JsonNode report = ReportFiles.read(output.resolve("soak-latest.json"));
    assertThat(report.get("settings").get("serverJvmOptions").get(0).asText()).isEqualTo("-Xmx512m");
    assertThat(report.get("startupSeconds")).singleElement()
        .satisfies(seconds -> assertThat(seconds.asDouble()).isPositive());
    assertThat(report.get("samples")).hasSize(3);
    for (JsonNode sample : report.get("samples")) {
      assertThat(sample.get("errors").asLong()).as("%s", sample).isZero();
      assertThat(sample.get("requests").asLong()).as("%s", sample).isPositive();
      assertThat(sample.get("rssMiB").asDouble()).as("the child's resident memory, %s", sample).isGreaterThan(50);
      assertThat(sample.get("peakRssMiB").asDouble()).isGreaterThanOrEqualTo(sample.get("rssMiB").asDouble());
      assertThat(sample.get("heapUsedMiB").asDouble()).as("the child's jvm_memory_used_bytes, %s", sample)
          .isPositive();
      assertThat(sample.get("oldGenMiB").isNumber()).as("%s", sample).isTrue();
    }
    assertThat(report.get("budgets")).extracting(b -> b.get("name").asText())
        .contains("failed requests", "peak resident memory (VmHWM) under load");
    assertThat(report.get("budgets").findValuesAsText("name"))
        .as("3 windows leave fewer than 3 after warm-up: growth is not judged")
        .noneMatch(name -> name.startsWith("resident memory growth"));

    try (Stream<Path> files = Files.list(output)) {
      Path html = files.filter(f -> f.getFileName().toString().matches("soak-\\d{8}T\\d{6}Z\\.html"))
          .findFirst().orElseThrow();
      assertThat(Files.readString(html)).contains("<h1>Yardmaster soak", "<img alt=\"Server memory\"",
          "<img alt=\"Throughput per window\"", "PASS");
    }
  }

  @Test
  void refusesAWindowLongerThanTheSoakAndAHeapThatIsNotASize() {
    CliRun window = CliRun.of("soak", "--duration", "10s", "--window", "20s");
    assertThat(window.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(window.err()).contains("--window: PT20S (expected: > 0 and <= --duration)");

    CliRun heap = CliRun.of("soak", "--server-heap", "lots");
    assertThat(heap.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(heap.err()).contains("--server-heap: 'lots' (expected: a JVM heap size such as 512m or 1g)");
  }
}
