package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelMetadataResponse.TensorMetadata;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up's synthetic requests, built from model metadata. */
class RouterWarmupRequestTest {

  @Test
  void variableDimensionsBecomeOneAndInputsAreZerosOfTheirByteSize() {
    ModelInferRequest request = RouterWarmup.request(ModelMetadataResponse.newBuilder().setName("m")
        .addInputs(TensorMetadata.newBuilder().setName("x").setDatatype("FP32").addShape(-1).addShape(28))
        .addInputs(TensorMetadata.newBuilder().setName("ids").setDatatype("INT64").addShape(-1).addShape(-1))
        .build());
    assertThat(request).isNotNull();
    assertThat(request.getModelName()).isEqualTo("m");
    assertThat(request.getInputs(0).getShapeList()).containsExactly(1L, 28L);
    assertThat(request.getInputs(1).getShapeList()).containsExactly(1L, 1L);
    assertThat(request.getRawInputContents(0).size()).isEqualTo(28 * 4);
    assertThat(request.getRawInputContents(1).size()).isEqualTo(8);
    assertThat(request.getRawInputContents(0).toByteArray()).containsOnly((byte) 0);
  }

  @Test
  void modelsWithStringInputsHugeInputsOrNoInputsAreSkipped() {
    assertThat(RouterWarmup.request(ModelMetadataResponse.newBuilder().setName("text")
        .addInputs(TensorMetadata.newBuilder().setName("s").setDatatype("BYTES").addShape(1)).build())).isNull();
    assertThat(RouterWarmup.request(ModelMetadataResponse.newBuilder().setName("big")
        .addInputs(TensorMetadata.newBuilder().setName("x").setDatatype("FP32").addShape(1024).addShape(1024))
        .build())).isNull();
    assertThat(RouterWarmup.request(ModelMetadataResponse.newBuilder().setName("none").build())).isNull();
  }

  @Test
  void boundsAreChecked() {
    assertThat(RouterWarmup.none().enabled()).isFalse();
    assertThat(RouterWarmup.upTo(10_000).enabled()).isTrue();
    assertThat(RouterWarmup.upTo(10_000).untilCompiled()).isTrue(); // serve's warm-up waits for the JIT
    assertThat(new RouterWarmup(Duration.ofSeconds(1), 10, 1).untilCompiled()).isFalse();
    assertThatThrownBy(() -> new RouterWarmup(Duration.ofSeconds(1), 10, 0))
        .hasMessage("concurrency: 0 (expected: >= 1)");
  }
}
