package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.router.config.OutlierDetectionConfig.SuccessRate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code outlier_detection} section: success-rate keys, their defaults and their errors. */
class OutlierDetectionConfigLoaderTest {

  static final RouterConfigLoader LOADER = RouterConfigLoader.withPrices(type -> Optional.empty());

  static OutlierDetectionConfig outliers(String section) throws Exception {
    return LOADER.parse("""
        pools:
          - name: cpu
            accelerator: cpu
            price_per_hour: 0.17
            endpoints: ["10.0.0.1:8001"]
        %s
        """.formatted(section), "router.yaml").pools().get(0).outlierDetection();
  }

  @Test
  void successRateEjectionIsOnWithEnvoysDefaults() throws Exception {
    OutlierDetectionConfig defaults = outliers("");
    assertThat(defaults).isEqualTo(OutlierDetectionConfig.defaults());
    assertThat(defaults.intervalMillis()).isEqualTo(10_000);
    assertThat(defaults.successRate()).isEqualTo(new SuccessRate(true, 5, 100, 1.9));
  }

  @Test
  void readsTheSuccessRateKeys() throws Exception {
    OutlierDetectionConfig config = outliers("""
            outlier_detection:
              interval_ms: 2000
              success_rate: {minimum_hosts: 3, request_volume: 50, stdev_factor: 1.2}
        """);
    assertThat(config.intervalMillis()).isEqualTo(2000);
    assertThat(config.successRate()).isEqualTo(new SuccessRate(true, 3, 50, 1.2));
    assertThat(config.consecutiveFailures()).isEqualTo(5);
    assertThat(outliers("""
            outlier_detection: {success_rate: {enabled: false}}
        """).successRate().enabled()).isFalse();
  }

  @Test
  void namesEveryBadKeyWithTheExpectedValue() {
    assertThatThrownBy(() -> outliers("""
            outlier_detection:
              interval_ms: 0
              success_rate: {minimum_hosts: 0, request_volume: -1, stdev_factor: 0, stdev: 2, enabled: yes-ish}
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "pools[0].outlier_detection.interval_ms: 0 (expected: an integer >= 10 and <= 3600000)",
            "pools[0].outlier_detection.success_rate.stdev: unknown key (expected: one of [enabled, minimum_hosts, "
                + "request_volume, stdev_factor])",
            "pools[0].outlier_detection.success_rate.enabled: yes-ish (expected: true or false)",
            "pools[0].outlier_detection.success_rate.minimum_hosts: 0 (expected: an integer >= 1 and <= 10000)",
            "pools[0].outlier_detection.success_rate.request_volume: -1 (expected: an integer >= 1 and <= 1000000000)",
            "pools[0].outlier_detection.success_rate.stdev_factor: 0 (expected: a number >= 0.01 and <= 100.0)"));
    assertThatThrownBy(() -> outliers("""
            outlier_detection: {success_rate: 1.9}
        """)).hasMessageContaining("pools[0].outlier_detection.success_rate: 1.9 (expected: a mapping)");
  }
}
