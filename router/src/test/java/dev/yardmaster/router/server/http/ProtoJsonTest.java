package dev.yardmaster.router.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtoJsonTest {

  @Test
  void writesTritonStyleConfigJson() {
    ModelConfig config = ModelConfig.newBuilder()
        .setName("m")
        .setMaxBatchSize(4)
        .addInput(dev.yardmaster.protocol.v2.ModelInput.newBuilder().setName("X").setDataType(DataType.TYPE_FP32)
            .addDims(-1).addDims(28))
        .setDynamicBatching(ModelDynamicBatching.newBuilder().addPreferredBatchSize(4)
            .setMaxQueueDelayMicroseconds(-1L))
        .putParameters("k", ModelParameter.newBuilder().setStringValue("v").build())
        .build();

    String json = new String(ProtoJson.toJson(config), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("{\"name\":\"m\",\"max_batch_size\":4,"
        + "\"input\":[{\"name\":\"X\",\"data_type\":\"TYPE_FP32\",\"dims\":[-1,28]}],"
        + "\"dynamic_batching\":{\"preferred_batch_size\":[4],\"max_queue_delay_microseconds\":18446744073709551615},"
        + "\"parameters\":{\"k\":{\"string_value\":\"v\"}}}");
  }
}
