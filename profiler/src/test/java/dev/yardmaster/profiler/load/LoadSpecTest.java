package dev.yardmaster.profiler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadSpecTest {
  private static final RequestFactory REQUESTS = RequestFactories.randomFp32("m", "x", 4, 1, 1L, 1);

  @Test
  void defaultsToOneChannelPerSixteenStreamsUpToEight() {
    assertThat(LoadSpec.defaultChannels(1)).isEqualTo(1);
    assertThat(LoadSpec.defaultChannels(16)).isEqualTo(1);
    assertThat(LoadSpec.defaultChannels(17)).isEqualTo(2);
    assertThat(LoadSpec.defaultChannels(64)).isEqualTo(4);
    assertThat(LoadSpec.defaultChannels(4096)).isEqualTo(8);
  }

  @Test
  void resolvesAutoChannelsPerConcurrencyButKeepsExplicitOnes() {
    LoadSpec auto =
        LoadSpec.builder(Target.parse("localhost:8001"), REQUESTS).concurrency(64).build();
    LoadSpec pinned =
        LoadSpec.builder(Target.parse("localhost:8001"), REQUESTS).channels(3).build();

    assertThat(auto.channelCount()).isEqualTo(4);
    assertThat(auto.withConcurrency(1).channelCount()).isEqualTo(1);
    assertThat(pinned.withConcurrency(64).channelCount()).isEqualTo(3);
  }

  @Test
  void rejectsOutOfBoundsFieldsNamingThem() {
    LoadSpec.Builder builder = LoadSpec.builder(new Target("localhost", 8001), REQUESTS);

    assertThatThrownBy(() -> builder.concurrency(0).build())
        .hasMessage("concurrency: 0 (expected: >= 1 and <= 4096)");
    assertThatThrownBy(() -> builder.concurrency(1).measure(Duration.ZERO).build())
        .hasMessage("measure: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder.measure(Duration.ofSeconds(1)).maxRequests(0).build())
        .hasMessage("maxRequests: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new Target("localhost", 0))
        .hasMessage("port: 0 (expected: >= 1 and <= 65535)");
    assertThatThrownBy(() -> Target.parse("localhost"))
        .hasMessage("target: 'localhost' (expected: host:port)");
  }

  @Test
  void parsesTargets() {
    assertThat(Target.parse("triton-gpu.serving.svc:8001"))
        .isEqualTo(new Target("triton-gpu.serving.svc", 8001));
    assertThat(Target.parse("[::1]:8001")).isEqualTo(new Target("::1", 8001));
    assertThat(new Target("::1", 8001)).hasToString("[::1]:8001");
  }
}
