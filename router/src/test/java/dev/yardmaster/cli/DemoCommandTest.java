package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.bench.ReportFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product tour end to end in quick mode: a real router serving three pools in process, real
 * profiles, real gRPC load (1.5 s a phase). Assertions hold on a loaded 2-core machine: they check
 * the shape and the arithmetic of the tables and what routing guarantees, not timings; the move of
 * gold off the saturated CPU pool at the peak is read from the router's decisions (the pool each
 * answer names), not from latencies.
 */
class DemoCommandTest {

  private static final List<String> POOLS = List.of("cpu-local", "gpu-a10g", "inf2");
  private static final List<String> TIERS = List.of("gold", "silver", "bronze");

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void quickTourComparesCostAwareWithGpuOnlyPerTierAndWritesJson(@TempDir Path output) throws Exception {
    CliRun run = CliRun.of("demo", "--quick", "--output-dir", output.toString());

    assertThat(run.exit()).as("exit code; stderr:%n%s", run.err()).isEqualTo(Main.EXIT_OK);
    assertThat(run.err()).contains("profiling wide_mlp", "[12/12]", "policy cost-aware", "policy gpu-only");
    String table = run.out();
    assertThat(table).contains("policy cost-aware", "policy gpu-only", "gpu-a10g (emulated)", "inf2 (emulated)",
        "cost-aware vs gpu-only", "$/1M: cost per 1M inferences", "cpu-local: one ONNX Runtime instance on one thread",
        "at the peak more arrives than cpu-local drains", "  by phase:", "answered off cpu-local under cost-aware");
    for (String tier : TIERS) {
      assertThat(table.lines().filter(line -> line.startsWith("  " + tier + " "))).as(tier).hasSize(2);
    }
    assertThat(table.lines().filter(line -> line.matches("  (base|peak) +\\d+  gold .*"))).as("phase rows")
        .hasSize(3);

    JsonNode report = ReportFiles.read(output.resolve("demo-latest.json"));
    assertThat(report.get("pools")).hasSize(3);
    for (JsonNode pool : report.get("pools")) {
      assertThat(pool.get("drain_rows_per_second").asDouble()).as("%s", pool).isPositive();
      assertThat(pool.get("batch_one_throughput").asDouble()).as("%s", pool).isPositive();
      assertThat(pool.get("cost_per_million").asDouble()).as("%s", pool).isPositive();
    }
    JsonNode costAware = report.get("policies").get(0);
    JsonNode gpuOnly = report.get("policies").get(1);
    assertThat(costAware.get("policy").asText()).isEqualTo("cost-aware");
    assertThat(gpuOnly.get("policy").asText()).isEqualTo("gpu-only");
    for (JsonNode policy : List.of(costAware, gpuOnly)) {
      assertThat(policy.get("tiers")).hasSize(3);
      for (int t = 0; t < 3; t++) {
        JsonNode tier = policy.get("tiers").get(t);
        assertThat(tier.get("tier").asText()).isEqualTo(TIERS.get(t));
        assertThat(tier.get("failed").asLong()).as("%s", tier).isZero();
        long answered = tier.get("answered").asLong();
        assertThat(answered).as("%s", tier).isPositive();
        long onPools = 0;
        for (var entry : tier.get("answers_by_pool").properties()) {
          assertThat(POOLS).contains(entry.getKey());
          onPools += entry.getValue().asLong();
        }
        assertThat(onPools).as("shares sum to 100%%: %s", tier).isEqualTo(answered);
      }
    }
    // gpu-only sends everything to the gpu pool
    for (JsonNode tier : gpuOnly.get("tiers")) {
      assertThat(tier.get("answers_by_pool").properties()).as("%s", tier).singleElement()
          .satisfies(entry -> assertThat(entry.getKey()).isEqualTo("gpu-a10g"));
    }
    // cost-aware sends best effort to the pool the profiles rank cheapest while its queue allows; that is the
    // cpu pool unless this host was too busy for its profile to show it (the tables then say so)
    String cheapest = "";
    double lowest = Double.POSITIVE_INFINITY;
    for (JsonNode pool : report.get("pools")) {
      if (pool.get("cost_per_million").asDouble() < lowest) {
        lowest = pool.get("cost_per_million").asDouble();
        cheapest = pool.get("pool").asText();
      }
    }
    JsonNode bronze = costAware.get("tiers").get(2);
    assertThat(bronze.get("answers_by_pool").path(cheapest).asLong())
        .as("bronze on the cheapest pool %s under cost-aware: %s", cheapest, bronze).isPositive();
    assertThat(report.get("saving_percent").asDouble()).isFinite();
    assertThat(output.resolve("router.yaml")).content().contains("kind: onnxruntime", "kind: emulated",
        "policy: cost-aware");
    assertThat(output.resolve("profiles/wide_mlp.json")).exists();
    try (var files = Files.list(output)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .anyMatch(name -> name.matches("demo-\\d{8}T\\d{6}Z\\.json"));
    }
    // the load is scaled to the cpu pool's capacity: half at base, 1.5x at the peak
    double capacity = report.get("cpu_pool").get("capacity_rows_per_second").asDouble();
    assertThat(capacity).isPositive();
    JsonNode phases = costAware.get("phases");
    assertThat(phases).extracting(phase -> phase.get("name").asText()).containsExactly("base", "peak", "base");
    double peakRate = phases.get(1).get("requests_per_second").asDouble();
    assertThat(peakRate).isGreaterThan(phases.get(0).get("requests_per_second").asDouble());
    assertThat(peakRate).isGreaterThan(capacity);
    if (!cheapest.equals("cpu-local")) {
      assertThat(table)
          .contains("NOTE: this host's profiles rank " + cheapest + " cheaper per inference than cpu-local");
      return;
    }
    assertThat(table).doesNotContain("NOTE:");
    // at the peak the cpu pool's queue grows and the router sends gold elsewhere. Only "some of it": on a busy
    // host gold may leave at the base too, and the profile's capacity is itself noisy, so shares are not compared
    double goldOffAtPeak = offCpuShare(phases.get(1).get("tiers").get(0));
    assertThat(goldOffAtPeak).as("gold answered off cpu-local at the peak; phases %s", phases).isPositive();
  }

  /** The share of a tier's answers that went to a pool other than cpu-local. */
  private static double offCpuShare(JsonNode tier) {
    long answered = tier.get("answered").asLong();
    assertThat(answered).as("%s", tier).isPositive();
    return 1 - tier.get("answers_by_pool").path("cpu-local").asLong() / (double) answered;
  }

  @Test
  void badPeakIsAUsageError(@TempDir Path output) {
    CliRun run = CliRun.of("demo", "--peak", "0", "--output-dir", output.toString());
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.err()).contains("--peak: 0.0 (expected: > 0 and <= 5)");
  }
}
