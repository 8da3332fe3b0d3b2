package dev.yardmaster.router.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTextTest {

  private static final String EXPOSITION = """
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
      jvm_memory_used_bytes_total{area="heap"} 99.0
      jvm_gc_live_data_size_bytes 3145728.0
      jvm_buffer_memory_used_bytes{id="mapped"} 5.0
      jvm_buffer_memory_used_bytes{id="direct"} 7.0
      nv_inference_count{model="wide_mlp",version="1"} 12 1700000000000
      """;

  @Test
  void sumsTheSamplesWhoseLabelsMatch() {
    assertThat(MetricsText.sum(EXPOSITION, "jvm_memory_used_bytes", Map.of("area", "heap")))
        .hasValue(10_485_760.0 + 2_097_152.0);
    assertThat(MetricsText.sum(EXPOSITION, "jvm_memory_used_bytes", Map.of("id", "G1 Old Gen")))
        .hasValue(2_097_152.0);
    assertThat(MetricsText.sum(EXPOSITION, "jvm_buffer_memory_used_bytes", Map.of("id", "direct"))).hasValue(7.0);
  }

  @Test
  void readsUnlabelledSamplesAndSamplesWithTimestamps() {
    assertThat(MetricsText.sum(EXPOSITION, "jvm_gc_live_data_size_bytes", Map.of())).hasValue(3_145_728.0);
    assertThat(MetricsText.sum(EXPOSITION, "nv_inference_count", Map.of("model", "wide_mlp"))).hasValue(12.0);
  }

  @Test
  void aFamilyIsNotConfusedWithALongerNameOrALabelEndingTheSame() {
    assertThat(MetricsText.sum(EXPOSITION, "jvm_memory_used_bytes", Map.of("area", "nonheap")))
        .as("area=\"heap\" is not a suffix match of area=\"nonheap\"").hasValue(4.0E7);
    assertThat(MetricsText.sum(EXPOSITION, "jvm_memory_used", Map.of())).isEmpty();
    assertThat(MetricsText.sum("jvm_memory_used_bytes_total 5\n", "jvm_memory_used_bytes", Map.of())).isEmpty();
  }

  @Test
  void noMatchingSampleIsEmpty() {
    assertThat(MetricsText.sum(EXPOSITION, "jvm_memory_used_bytes", Map.of("area", "code"))).isEmpty();
    assertThat(MetricsText.sum("", "jvm_gc_live_data_size_bytes", Map.of())).isEmpty();
  }
}
