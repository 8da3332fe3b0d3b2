package dev.yardmaster.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.router.config.ModelRouting;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.pool.Pools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload rebuilds the routing table: profiles added, the missing-profile warning raised per (model, pool). */
class ProfileMissingOnReloadTest {

  @Test
  void raisesTheMissingProfileGaugeForPoolsTheProfileLacks() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RouterConfig config = new RouterConfig(0, 0, 1000, List.of(
        PoolConfig.of("gpu", AcceleratorKind.GPU, 1.0, List.of("127.0.0.1:1")),
        PoolConfig.of("cpu", AcceleratorKind.CPU, 0.1, List.of("127.0.0.1:2"))));
    try (Pools pools = new Pools(registry, System::nanoTime)) {
      pools.apply(config);
      LiveRouter router = new LiveRouter(registry, config, pools);
      assertThat(registry.find("yardmaster.profile.missing").gauges()).isEmpty();

      Profile profile = new Profile(1, "m", null, Profile.DEFAULT_TIERS, 0, List.of(new ProfileEntry("1", "kserve",
          "gpu", "g5.xlarge", "gpu", 1.0, List.of(new GridPoint(1, 1, 500, 2, 2, 2, 2, 0)), null)));
      RouterConfig reloaded = config.withModels(List.of(new ModelRouting("m", Path.of("m.json"), profile)));
      pools.apply(reloaded);
      router.apply(reloaded, pools);

      assertThat(registry.get("yardmaster.profile.missing").tags("model", "m", "pool", "cpu").gauge().value())
          .isEqualTo(1.0);
      assertThat(registry.get("yardmaster.profile.missing").tags("model", "m", "pool", "gpu").gauge().value())
          .isEqualTo(0.0);
    }
  }
}
