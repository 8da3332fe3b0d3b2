package dev.yardmaster.profiler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFactoriesTest {

  @Test
  void buildsBatchedFp32RequestsAsRawInputContents() {
    LoadRequest request = RequestFactories.randomFp32("wide_mlp", "input", 28, 8, 42L).create(0, 0);

    ModelInferRequest message = request.message();
    assertThat(message.getModelName()).isEqualTo("wide_mlp");
    assertThat(message.getInputs(0).getName()).isEqualTo("input");
    assertThat(message.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(message.getInputs(0).getShapeList()).containsExactly(8L, 28L);
    assertThat(message.getRawInputContents(0).size()).isEqualTo(8 * 28 * Float.BYTES);
    assertThat(request.rows()).isEqualTo(8);
    assertThat(request.headers()).isEmpty();
    var floats =
        message.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8 * 28; i++) {
      assertThat(floats.getFloat()).isBetween(-1f, 1f);
    }
  }

  @Test
  void sameSeedSameRequestsOtherSeedOtherData() {
    List<LoadRequest> a = RequestFactories.randomFp32Pool("m", "x", 4, 2, 1L, 3);
    List<LoadRequest> b = RequestFactories.randomFp32Pool("m", "x", 4, 2, 1L, 3);
    List<LoadRequest> c = RequestFactories.randomFp32Pool("m", "x", 4, 2, 2L, 3);

    assertThat(a).isEqualTo(b);
    assertThat(a.get(0)).isNotEqualTo(c.get(0));
    assertThat(a.get(0)).isNotEqualTo(a.get(1));
  }

  @Test
  void cyclesThePoolWithoutBuildingNewRequests() {
    List<LoadRequest> pool = RequestFactories.randomFp32Pool("m", "x", 4, 1, 1L, 3);
    RequestFactory factory = RequestFactories.cycling(pool);

    assertThat(factory.create(0, 0)).isSameAs(pool.get(0));
    assertThat(factory.create(0, 4)).isSameAs(pool.get(1));
    assertThat(factory.create(2, 0)).isSameAs(pool.get(2));
  }

  @Test
  void addsHeadersFixedOrByStream() {
    RequestFactory base = RequestFactories.randomFp32("m", "x", 4, 1, 1L);

    assertThat(base.withHeader("x-sla-tier", "gold").create(3, 9).headers())
        .containsExactly(entry("x-sla-tier", "gold"));
    RequestFactory byStream = base.withHeaderByStream("x-sla-tier", s -> s == 0 ? "gold" : null);
    assertThat(byStream.create(0, 0).headers()).containsEntry("x-sla-tier", "gold");
    assertThat(byStream.create(1, 0).headers()).isEmpty();
  }

  @Test
  void rejectsBadShapesNamingTheField() {
    assertThatThrownBy(() -> RequestFactories.randomFp32("m", "x", 0, 1, 1L))
        .hasMessage("rowWidth: 0 (expected: >= 1)");
    assertThatThrownBy(() -> RequestFactories.randomFp32("m", "x", 4, -2, 1L))
        .hasMessage("batch: -2 (expected: >= 1)");
    assertThatThrownBy(() -> RequestFactories.cycling(List.of()))
        .hasMessage("pool: [] (expected: at least one request)");
  }
}
