package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void proxyCoreGivesTheProxyTheLastCoreAndEverythingElseTheRest() {
    assertThat(Topology.proxyCore(2)).isEqualTo(new Topology("proxy-core", "0", "1"));
    assertThat(Topology.proxyCore(8)).isEqualTo(new Topology("proxy-core", "0-6", "7"));
    assertThat(Topology.shared(2)).isEqualTo(new Topology("shared", "0-1", "0-1"));
    assertThat(Topology.proxyCore(2).describe())
        .isEqualTo("router and nginx on core 1 alone; load generator and backend on 0");
    assertThatThrownBy(() -> Topology.proxyCore(1)).hasMessageContaining("cores: 1 (expected: >= 2");
  }

  @Test
  void proxyCoreRunsOnlyWhereItCanBeSetUpAndSaysWhyNot() {
    assertThat(Topology.plan(2, true, true)).extracting(Topology::name).containsExactly("shared", "proxy-core");
    assertThat(Topology.skipped(2, true, true)).isEmpty();
    assertThat(Topology.plan(1, true, true)).extracting(Topology::name).containsExactly("shared");
    assertThat(Topology.skipped(1, true, true)).hasValueSatisfying(why -> assertThat(why).contains("1 core"));
    assertThat(Topology.plan(4, false, true)).extracting(Topology::name).containsExactly("shared");
    assertThat(Topology.skipped(4, false, true)).hasValueSatisfying(why -> assertThat(why).contains("taskset"));
    assertThat(Topology.plan(4, true, false)).extracting(Topology::name).containsExactly("shared");
    assertThat(Topology.skipped(4, true, false))
        .hasValueSatisfying(why -> assertThat(why).contains("load generator's JVM"));
  }
}
