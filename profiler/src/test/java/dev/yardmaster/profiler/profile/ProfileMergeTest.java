package dev.yardmaster.profiler.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.profiler.profile.ProfileEntry.BatchingAdvice;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileMergeTest {

  static ProfileEntry entry(String pool, double throughput) {
    return new ProfileEntry("1", "onnxruntime", pool, "c7g.xlarge", "cpu", 0.145, List.of(
        new GridPoint(1, 1, throughput, 1, 1, 1, 2, 0), new GridPoint(8, 1, throughput * 4, 3, 3, 3, 4, 0, 5.0),
        new GridPoint(32, 1, throughput * 8, 30, 35, 40, 60, 0, 70.0)), null);
  }

  static Profile profile(ProfileEntry... entries) {
    return new Profile(Profile.SCHEMA_VERSION, "higgs", null, Profile.DEFAULT_TIERS, 0, List.of(entries));
  }

  @Test
  void updateReplacesTheSameVersionBackendPoolAndKeepsTheRest() {
    Profile merged = ProfileMerge.merge(profile(entry("a", 100), entry("b", 100)),
        profile(entry("b", 300), entry("c", 50)));
    assertThat(merged.entries()).extracting(ProfileEntry::pool).containsExactly("a", "b", "c");
    assertThat(merged.entries().get(1).grid().get(0).throughput()).isEqualTo(300);
    assertThat(merged.entries()).allSatisfy(e -> assertThat(e.derived()).isNotNull());
  }

  @Test
  void anotherModelIsRefused() {
    Profile other = new Profile(Profile.SCHEMA_VERSION, "wide", null, Profile.DEFAULT_TIERS, 0, List.of(entry("a", 1)));
    assertThatThrownBy(() -> ProfileMerge.merge(profile(entry("a", 1)), other))
        .hasMessage("model: wide (expected: higgs, the model of the existing file)");
  }

  @Test
  void batchingAdviceStaysWithinTheBudget() {
    ProfileEntry derived = profile(entry("a", 100)).withDerived().entries().get(0);
    List<BatchingAdvice> advice = derived.derived().batching();
    // gold 50 ms: best point is batch 8 (p99 4 ms); batch 32 (60 ms) is over: wait half of 46 ms
    assertThat(advice.get(0)).isEqualTo(new BatchingAdvice("gold", List.of(8), 23_000));
    // silver 150 ms: batch 32 fits (p99 60 ms): wait half of 90 ms
    assertThat(advice.get(1)).isEqualTo(new BatchingAdvice("silver", List.of(32), 45_000));
    assertThat(advice.get(2).tier()).isEqualTo("bronze");
    assertThat(advice.get(2).preferredBatchSizes()).containsExactly(32);
  }

  @Test
  void newFieldsRoundTripAndOldFilesStillParse() throws Exception {
    Profile profile = profile(entry("a", 100)).withDerived();
    String json = ProfileFiles.toJson(profile, "h.json");
    assertThat(json).contains("\"max_ms\" : 5.0").contains("\"batching\"").contains("\"max_queue_delay_us\"");
    assertThat(ProfileFiles.parse(json, "h.json")).isEqualTo(profile);
    String old = json.replaceAll(",\\s*\"max_ms\" : [0-9.]+", "");
    assertThat(ProfileFiles.parse(old, "h.json").entries().get(0).grid().get(1).maxMs()).isNull();
  }
}
