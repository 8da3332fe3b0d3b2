package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {

  static final ModelInferResponse GOOD = FakeBackend.answer(ModelInferRequest.getDefaultInstance());

  @Test
  void acceptsMatchingRawContents() {
    assertThat(ResponseCheck.problem(GOOD)).isNull();
  }

  @Test
  void namesTheOutputWhoseByteSizeDoesNotMatchItsShape() {
    ModelInferResponse garbage = GOOD.toBuilder().setRawOutputContents(0, ByteString.copyFrom(new byte[3])).build();
    assertThat(ResponseCheck.problem(garbage))
        .isEqualTo("output 'y' raw_output_contents: 3 bytes (expected: 4 = shape [1, 1] x FP32 4 bytes)");
  }

  @Test
  void rejectsMissingRawEntriesAndUnknownDatatypes() {
    ModelInferResponse extraOutput = GOOD.toBuilder()
        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("z").setDatatype("FP32").addShape(1))
        .build();
    assertThat(ResponseCheck.problem(extraOutput)).startsWith("raw_output_contents: 1 entries (expected: one per output, 2)");
    ModelInferResponse oddType = GOOD.toBuilder()
        .setOutputs(0, GOOD.getOutputs(0).toBuilder().setDatatype("FP99")).build();
    assertThat(ResponseCheck.problem(oddType)).startsWith("output 'y' datatype: FP99");
  }
}
