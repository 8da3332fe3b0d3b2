package dev.yardmaster.profiler.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yardmaster.profiler.profile.ProfileEntry.Derived;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.LatencyFit;
import dev.yardmaster.profiler.profile.ProfileEntry.TierFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileFilesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** c=1 points lie on p99 = 1 ms + 1 ms x batch; the best points per tier are exact. */
  static List<GridPoint> grid() {
    return List.of(
        new GridPoint(1, 1, 400, 1.5, 1.8, 1.9, 2.0, 0),
        new GridPoint(2, 1, 600, 2.5, 2.8, 2.9, 3.0, 0),
        new GridPoint(4, 1, 800, 4.0, 4.5, 4.8, 5.0, 0),
        new GridPoint(4, 8, 3200, 10.0, 20.0, 30.0, 40.0, 0),
        new GridPoint(4, 16, 3600, 30.0, 50.0, 60.0, 80.0, 0),
        new GridPoint(8, 16, 4000, 60.0, 100.0, 120.0, 160.0, 0),
        new GridPoint(8, 32, 4100, 90.0, 120.0, 130.0, 140.0, 3)); // errors: never a best point
  }

  static Profile profile() {
    return new Profile(1, "higgs_mlp", "2026-11-25T08:00:00Z", Profile.DEFAULT_TIERS, 10_000, List.of(
        new ProfileEntry("1", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.145, grid(), null),
        new ProfileEntry("1", "kserve", "gpu-a10g", "g5.xlarge", "gpu", 1.006, grid(), null),
        new ProfileEntry("1", "emulated", "inf2", "inf2.xlarge", "inferentia", 0.758, grid(), null)));
  }

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("higgs_mlp.json");
    ProfileFiles.write(file, profile());
    Profile read = ProfileFiles.read(file);
    assertThat(read).isEqualTo(profile().withDerived());
    ProfileFiles.write(file, read);
    assertThat(ProfileFiles.read(file)).isEqualTo(read);
    assertThat(Files.readString(file)).contains("\"schema_version\" : 1", "\"p99_ms\" : 2.0",
        "\"cost_per_million\"", "\"initial_instance_count\" : 4");
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(file); // no temp file left behind
    }
  }

  @Test
  void derivesTheLatencyFitFromConcurrencyOnePoints() {
    LatencyFit fit = Derivation.latencyFit(grid());
    assertThat(fit.interceptMs()).isCloseTo(1.0, within(1e-12));
    assertThat(fit.perRowMs()).isCloseTo(1.0, within(1e-12));
    assertThat(fit.rSquared()).isCloseTo(1.0, within(1e-12));
    assertThat(fit.points()).isEqualTo(3);
    assertThat(fit.latencyMs(8)).isCloseTo(9.0, within(1e-12));
  }

  @Test
  void derivesTheBestPointAndCostPerTier() {
    Derived derived = profile().withDerived().entries().get(0).derived();
    List<TierFacts> tiers = derived.tiers();
    assertThat(tiers.get(0)).isEqualTo(
        new TierFacts("gold", 50.0, 3200, 4, 8, 40.0, 0.145 / 3600 / 3200 * 1e6));
    assertThat(tiers.get(1)).isEqualTo(
        new TierFacts("silver", 150.0, 3600, 4, 16, 80.0, 0.145 / 3600 / 3600 * 1e6));
    assertThat(tiers.get(2)).isEqualTo(
        new TierFacts("bronze", null, 4000, 8, 16, 160.0, 0.145 / 3600 / 4000 * 1e6));
    // SageMaker-like summary at gold's point: 3200 inf/s in batches of 4 = 48,000 requests/min
    assertThat(derived.recommendation()).isEqualTo(
        new ProfileEntry.Recommendation(0.145 / 3600 / 3200, 48_000, 10.0, 4));
  }

  @Test
  void aTierNoPointMeetsHasNoCost() {
    Profile tight = new Profile(1, "m", null, List.of(new Profile.TierBudget("gold", 1.0)), 0,
        List.of(new ProfileEntry("1", "onnxruntime", "cpu", "c7g.xlarge", "cpu", 0.145, grid(), null)));
    Derived derived = tight.withDerived().entries().get(0).derived();
    assertThat(derived.tiers()).containsExactly(new TierFacts("gold", 1.0, 0, 0, 0, null, null));
    assertThat(derived.recommendation()).isNull();
  }

  @Test
  void rejectsANegativePercentileNamingTheField() {
    assertProblem(root -> point(root, 2, 0).put("p99_ms", -1),
        "profile higgs_mlp.json: entries[2].grid[0].p99_ms: -1 (expected: >= 0)");
  }

  @Test
  void rejectsPercentilesOutOfOrder() {
    assertProblem(root -> point(root, 0, 1).put("p99_ms", 2.5),
        "profile higgs_mlp.json: entries[0].grid[1].p99_ms: 2.5 (expected: >= p95_ms 2.9)");
  }

  @Test
  void rejectsAnotherSchemaVersion() {
    assertProblem(root -> root.put("schema_version", 3),
        "profile higgs_mlp.json: schema_version: 3 (expected: 1..2)");
    assertProblem(root -> root.put("schema_version", 0),
        "profile higgs_mlp.json: schema_version: 0 (expected: 1..2)");
  }

  @Test
  void schemaTwoCarriesTheServerSplitAndRoundTrips(@TempDir Path dir) throws Exception {
    GridPoint measured = new GridPoint(4, 2, 900, 1.0, 1.2, 1.3, 1.5, 0, 2.0, 1.1,
        new ProfileEntry.ServerSplit(0.2, 0.6, 5.5, 1200, 218));
    Profile v2 = new Profile(Profile.SCHEMA_VERSION, "higgs_mlp", null, Profile.DEFAULT_TIERS, 0, List.of(
        new ProfileEntry("1", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.145, List.of(measured), null)));
    Path file = dir.resolve("higgs_mlp.json");
    ProfileFiles.write(file, v2);
    assertThat(Files.readString(file)).contains("\"schema_version\" : 2", "\"mean_ms\" : 1.1",
        "\"server\" : {", "\"queue_ms\" : 0.2", "\"compute_ms\" : 0.6", "\"batch\" : 5.5");
    assertThat(ProfileFiles.read(file).entries().get(0).grid().get(0)).isEqualTo(measured);
  }

  @Test
  void schemaOneFilesStayReadableButCannotCarryTheNewFields() throws Exception {
    Profile read = ProfileFiles.parse(ProfileFiles.toJson(profile(), "higgs_mlp.json"), "higgs_mlp.json");
    assertThat(read.schemaVersion()).isEqualTo(1);
    assertThat(read.entries().get(0).grid()).allSatisfy(p -> assertThat(p.server()).isNull());
    assertProblem(root -> point(root, 0, 0).put("mean_ms", 1.0),
        "profile higgs_mlp.json: entries[0].grid[0].mean_ms: present in schema_version 1"
            + " (expected: schema_version >= 2, or the field absent)");
  }

  @Test
  void rejectsAnImpossibleServerSplit() {
    assertProblem(root -> {
      root.put("schema_version", 2);
      point(root, 0, 0).putObject("server").put("queue_ms", 0.1).put("compute_ms", 0.5).put("batch", 0.0)
          .put("requests", 10).put("executions", 3);
    }, "profile higgs_mlp.json: entries[0].grid[0].server.batch: 0 (expected: >= 1)");
  }

  @Test
  void rejectsAnEmptyModelName() {
    assertProblem(root -> root.put("model", ""),
        "profile higgs_mlp.json: model: \"\" (expected: a non-empty string)");
  }

  @Test
  void rejectsAnUnknownBackendAndAccelerator() {
    assertProblem(root -> entry(root, 1).put("backend", "tensorrt"),
        "profile higgs_mlp.json: entries[1].backend: \"tensorrt\" (expected: one of onnxruntime, kserve, emulated)");
    assertProblem(root -> entry(root, 1).put("accelerator", "tpu"),
        "profile higgs_mlp.json: entries[1].accelerator: \"tpu\" (expected: one of gpu, inferentia, cpu)");
  }

  @Test
  void rejectsANegativePrice() {
    assertProblem(root -> entry(root, 0).put("price_per_hour", -0.5),
        "profile higgs_mlp.json: entries[0].price_per_hour: -0.5 (expected: >= 0)");
  }

  @Test
  void rejectsBadBatchConcurrencyThroughputAndErrors() {
    assertProblem(root -> point(root, 0, 0).put("batch", 0),
        "profile higgs_mlp.json: entries[0].grid[0].batch: 0 (expected: >= 1)");
    assertProblem(root -> point(root, 0, 0).put("concurrency", -2),
        "profile higgs_mlp.json: entries[0].grid[0].concurrency: -2 (expected: >= 1)");
    assertProblem(root -> point(root, 0, 0).put("throughput", -1.5),
        "profile higgs_mlp.json: entries[0].grid[0].throughput: -1.5 (expected: >= 0)");
    assertProblem(root -> point(root, 0, 0).put("errors", -1),
        "profile higgs_mlp.json: entries[0].grid[0].errors: -1 (expected: >= 0)");
  }

  @Test
  void rejectsDuplicatePointsAndEntries() {
    assertProblem(root -> point(root, 0, 1).put("batch", 1),
        "profile higgs_mlp.json: entries[0].grid[1]: batch 1 concurrency 1 again (grid[0])"
            + " (expected: one point per batch and concurrency)");
    assertProblem(root -> entry(root, 2).put("backend", "onnxruntime").put("pool", "cpu-local")
            .put("accelerator", "cpu"),
        "profile higgs_mlp.json: entries[2]: same model_version, backend, pool and accelerator as entries[0]"
            + " (expected: one entry per model_version, backend, pool and accelerator)");
  }

  @Test
  void rejectsEmptyEntriesAndGrids() {
    assertProblem(root -> root.putArray("entries"),
        "profile higgs_mlp.json: entries: [] (expected: at least one entry)");
    assertProblem(root -> entry(root, 0).putArray("grid"),
        "profile higgs_mlp.json: entries[0].grid: [] (expected: at least one measured point)");
  }

  @Test
  void rejectsBadTierBudgets() {
    assertProblem(root -> ((ObjectNode) root.withArray("tiers").get(0)).put("p99_ms", 0),
        "profile higgs_mlp.json: tiers[0].p99_ms: 0 (expected: > 0, or absent for best effort)");
    assertProblem(root -> ((ObjectNode) root.withArray("tiers").get(1)).put("name", "gold"),
        "profile higgs_mlp.json: tiers[1].name: \"gold\" (expected: unique tier names)");
  }

  @Test
  void rejectsAMissingField() {
    assertProblem(root -> point(root, 1, 3).remove("p99_ms"),
        "profile higgs_mlp.json: entries[1].grid[3].p99_ms: missing (expected: present)");
  }

  @Test
  void rejectsAnUnknownField() {
    assertProblem(root -> point(root, 0, 0).put("p999_ms", 3),
        "profile higgs_mlp.json: entries[0].grid[0].p999_ms: unknown field (expected: one of batch,"
            + " concurrency, errors, max_ms, mean_ms, p50_ms, p90_ms, p95_ms, p99_ms, server, throughput)");
  }

  @Test
  void rejectsAWrongType() throws Exception {
    String json = mutated(root -> point(root, 0, 2).put("batch", "four"));
    assertThatThrownBy(() -> ProfileFiles.parse(json, "higgs_mlp.json"))
        .isInstanceOf(InvalidProfileException.class)
        .hasMessageStartingWith("profile higgs_mlp.json: entries[0].grid[2].batch: ")
        .hasMessageEndingWith("(expected: int)");
  }

  @Test
  void rejectsMalformedJson() {
    assertThatThrownBy(() -> ProfileFiles.parse("{\"schema_version\": 1,", "higgs_mlp.json"))
        .isInstanceOf(InvalidProfileException.class)
        .hasMessageStartingWith("profile higgs_mlp.json: line 1 column ")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void reportsEveryProblemAtOnce() throws Exception {
    String json = mutated(root -> {
      root.put("schema_version", 3);
      point(root, 0, 0).put("p50_ms", -1);
      entry(root, 1).put("price_per_hour", -2);
    });
    assertThatThrownBy(() -> ProfileFiles.parse(json, "higgs_mlp.json"))
        .isInstanceOfSatisfying(InvalidProfileException.class, e -> assertThat(e.problems()).containsExactly(
            "profile higgs_mlp.json: schema_version: 3 (expected: 1..2)",
            "profile higgs_mlp.json: entries[0].grid[0].p50_ms: -1 (expected: >= 0)",
            "profile higgs_mlp.json: entries[1].price_per_hour: -2 (expected: >= 0)"));
  }

  @Test
  void writingAnInvalidProfileFailsAndLeavesTheOldFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("higgs_mlp.json");
    ProfileFiles.write(file, profile());
    String before = Files.readString(file);
    Profile bad = new Profile(1, "higgs_mlp", null, Profile.DEFAULT_TIERS, 0, List.of());
    assertThatThrownBy(() -> ProfileFiles.write(file, bad))
        .hasMessage("profile higgs_mlp.json: entries: [] (expected: at least one entry)");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void theDocumentedExampleParses() throws Exception {
    Path doc = Path.of("PROFILES.md");
    String markdown = Files.readString(doc);
    int start = markdown.indexOf("```json\n") + "```json\n".length();
    String example = markdown.substring(start, markdown.indexOf("```", start));
    Profile parsed = ProfileFiles.parse(example, "higgs_mlp.json");
    assertThat(parsed.model()).isEqualTo("higgs_mlp");
    assertThat(parsed.entries()).hasSize(2);
  }

  private static ObjectNode entry(ObjectNode root, int entry) {
    return (ObjectNode) root.withArray("entries").get(entry);
  }

  private static ObjectNode point(ObjectNode root, int entry, int point) {
    return (ObjectNode) ((ArrayNode) entry(root, entry).get("grid")).get(point);
  }

  private static String mutated(Consumer<ObjectNode> change) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(ProfileFiles.toJson(profile(), "higgs_mlp.json"));
    change.accept(root);
    return JSON.writeValueAsString(root);
  }

  private static void assertProblem(Consumer<ObjectNode> change, String problem) {
    assertThatThrownBy(() -> ProfileFiles.parse(mutated(change), "higgs_mlp.json"))
        .isInstanceOf(InvalidProfileException.class)
        .hasMessage(problem);
  }
}
