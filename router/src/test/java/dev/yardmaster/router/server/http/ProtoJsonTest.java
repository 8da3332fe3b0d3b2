package dev.yardmaster.router.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelParameter;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
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

    assertThat(json).isEqualTo("{\"name\":\"m\",\"platform\":\"\",\"backend\":\"\",\"max_batch_size\":4,"
        + "\"input\":[{\"name\":\"X\",\"data_type\":\"TYPE_FP32\",\"format\":\"FORMAT_NONE\",\"dims\":[-1,28],"
        + "\"is_shape_tensor\":false,\"allow_ragged_batch\":false,\"optional\":false}],"
        + "\"output\":[],\"instance_group\":[],\"default_model_filename\":\"\","
        + "\"parameters\":{\"k\":{\"string_value\":\"v\"}},\"model_warmup\":[],"
        + "\"dynamic_batching\":{\"preferred_batch_size\":[4],\"max_queue_delay_microseconds\":18446744073709551615,"
        + "\"preserve_ordering\":false,\"priority_levels\":0,\"default_priority_level\":0,"
        + "\"priority_queue_policy\":{}}}");
  }

  @Test
  void printsDefaultValuedFieldsButNotUnsetMessagesOrOneofMembers() {
    // Triton prints configs with always_print_primitive_fields: clients read config["max_batch_size"]
    ModelConfig config = ModelConfig.newBuilder().setName("plain").build();

    String json = new String(ProtoJson.toJson(config), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("{\"name\":\"plain\",\"platform\":\"\",\"backend\":\"\",\"max_batch_size\":0,"
        + "\"input\":[],\"output\":[],\"instance_group\":[],\"default_model_filename\":\"\",\"parameters\":{},"
        + "\"model_warmup\":[]}");
  }

  @Test
  void setOneofMemberAndNestedMessagesPrintTheirDefaultsToo() {
    ModelConfig config = ModelConfig.newBuilder()
        .setVersionPolicy(ModelVersionPolicy.newBuilder().setLatest(ModelVersionPolicy.Latest.getDefaultInstance()))
        .build();

    String json = new String(ProtoJson.toJson(config), StandardCharsets.UTF_8);

    assertThat(json).contains("\"version_policy\":{\"latest\":{\"num_versions\":0}}")
        .doesNotContain("dynamic_batching");
  }
}
