package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void proxyCoreGivesTheProxyTheLastCpuAndEverythingElseTheRest() {
    assertThat(Topology.proxyCore(List.of(0, 1))).isEqualTo(new Topology("proxy-core", "0", "1"));
    assertThat(Topology.proxyCore(List.of(0, 1, 2, 3, 4, 5, 6, 7))).isEqualTo(new Topology("proxy-core", "0-6", "7"));
    assertThat(Topology.shared(List.of(0, 1))).isEqualTo(new Topology("shared", "0-1", "0-1"));
    assertThat(Topology.proxyCore(List.of(0, 1)).describe())
        .isEqualTo("router and nginx on CPU 1 alone; load generator and backend on 0");
    assertThatThrownBy(() -> Topology.proxyCore(List.of(0))).hasMessageContaining("cpus: [0] (expected: >= 2");
  }

  @Test
  void aContainersCpusetIsUsedAsItIsNotCountedFromZero() {
    assertThat(Topology.proxyCore(List.of(2, 3))).isEqualTo(new Topology("proxy-core", "2", "3"));
    assertThat(Topology.proxyCore(List.of(0, 2, 4, 5))).isEqualTo(new Topology("proxy-core", "0,2,4", "5"));
    assertThat(Topology.shared(List.of(4, 5, 6))).isEqualTo(new Topology("shared", "4-6", "4-6"));
  }

  @Test
  void proxyCoreRunsOnlyWhereItCanBeSetUpAndSaysWhyNot() {
    List<Integer> two = List.of(0, 1);
    assertThat(Topology.plan(two, true, true)).extracting(Topology::name).containsExactly("shared", "proxy-core");
    assertThat(Topology.skipped(2, true, true)).isEmpty();
    assertThat(Topology.plan(List.of(3), true, true)).extracting(Topology::name).containsExactly("shared");
    assertThat(Topology.skipped(1, true, true)).hasValueSatisfying(why -> assertThat(why).contains("1 core"));
    assertThat(Topology.plan(two, false, true)).extracting(Topology::name).containsExactly("shared");
    assertThat(Topology.skipped(4, false, true)).hasValueSatisfying(why -> assertThat(why).contains("taskset"));
    assertThat(Topology.plan(two, true, false)).extracting(Topology::name).containsExactly("shared");
    assertThat(Topology.skipped(4, true, false))
        .hasValueSatisfying(why -> assertThat(why).contains("load generator's JVM"));
  }
}
