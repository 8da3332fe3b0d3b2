package dev.yardmaster.router.front.pass;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The routing fields read off a framed ModelInferRequest's bytes, and the priority appended to them. */
class InferFrameTest {

  private static ModelInferRequest request(long... shape) {
    InferInputTensor.Builder input = InferInputTensor.newBuilder().setName("x").setDatatype("FP32");
    for (long dim : shape) {
      input.addShape(dim);
    }
    return ModelInferRequest.newBuilder().setModelName("higgs_mlp_v1").setModelVersion("2").setId("r1")
        .addInputs(input).addInputs(InferInputTensor.newBuilder().setName("z").addShape(99).addShape(1))
        .putParameters("sequence_id", InferParameter.newBuilder().setInt64Param(7).build())
        .addRawInputContents(ByteString.copyFrom(new byte[16])).build();
  }

  @Test
  void readsModelNameVersionAndTheFirstInputsRows() {
    InferFrame frame = InferFrame.parse(GrpcFrame.of(request(8, 28).toByteArray()));
    assertThat(frame).isNotNull();
    assertThat(frame.modelName()).isEqualTo("higgs_mlp_v1");
    assertThat(frame.modelVersion()).isEqualTo("2");
    assertThat(frame.rows()).isEqualTo(8);
    assertThat(frame.hasPriority()).isFalse();
  }

  @Test
  void rowsAreOneWithoutABatchDimensionOrWithoutInputs() {
    assertThat(InferFrame.parse(GrpcFrame.of(request(28).toByteArray())).rows()).isEqualTo(1);
    assertThat(InferFrame.parse(GrpcFrame.of(request(0, 28).toByteArray())).rows()).isEqualTo(1);
    assertThat(InferFrame.parse(GrpcFrame.of(ModelInferRequest.newBuilder().setModelName("m").build().toByteArray()))
        .rows()).isEqualTo(1);
  }

  @Test
  void readsAnUnpackedShapeToo() throws Exception {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    CodedOutputStream in = CodedOutputStream.newInstance(input);
    in.writeString(1, "x");
    in.writeInt64(3, 5); // shape written unpacked: legal, and parsers must accept it
    in.writeInt64(3, 28);
    in.flush();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(message);
    out.writeString(1, "m");
    out.writeByteArray(5, input.toByteArray());
    out.flush();
    assertThat(ModelInferRequest.parseFrom(message.toByteArray()).getInputs(0).getShapeList()).containsExactly(5L, 28L);
    assertThat(InferFrame.parse(GrpcFrame.of(message.toByteArray())).rows()).isEqualTo(5);
  }

  @Test
  void appendedPriorityParsesAsProtobufsOwnPut() throws Exception {
    ModelInferRequest request = request(4, 28);
    byte[] original = GrpcFrame.of(request.toByteArray());
    byte[] sent = InferFrame.parse(original).withPriority(2);
    ModelInferRequest expected = request.toBuilder()
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(2).build()).build();
    assertThat(GrpcFrame.messageLength(sent)).isEqualTo(sent.length - 5);
    assertThat(ModelInferRequest.parseFrom(Arrays.copyOfRange(sent, 5, sent.length))).isEqualTo(expected);
    assertThat(Arrays.copyOfRange(sent, 5, original.length)).as("the caller's message, then the entry").isEqualTo(Arrays.copyOfRange(original, 5, original.length));
    assertThat(InferFrame.parse(sent).hasPriority()).isTrue();
  }

  @Test
  void aClientsPriorityIsKeptAsSent() {
    byte[] original = GrpcFrame.of(request(1, 28).toBuilder()
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(1).build()).build().toByteArray());
    InferFrame frame = InferFrame.parse(original);
    assertThat(frame.hasPriority()).isTrue();
    assertThat(frame.withPriority(3)).isSameAs(original);
  }

  @Test
  void refusesWhatIsNotOneUncompressedWellFormedMessage() {
    byte[] good = GrpcFrame.of(request(1, 28).toByteArray());
    byte[] compressed = good.clone();
    compressed[0] = 1;
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] twoMessages = Arrays.copyOf(good, good.length * 2);
    System.arraycopy(good, 0, twoMessages, good.length, good.length);
    byte[] garbage = GrpcFrame.of(new byte[] {(byte) 0x0a, (byte) 0x7f, 1});
    byte[] badUtf8 = GrpcFrame.of(new byte[] {(byte) 0x0a, 2, (byte) 0xc3, (byte) 0x28});
    assertThat(InferFrame.parse(compressed)).isNull();
    assertThat(InferFrame.parse(truncated)).isNull();
    assertThat(InferFrame.parse(twoMessages)).isNull();
    assertThat(InferFrame.parse(garbage)).isNull();
    assertThat(InferFrame.parse(badUtf8)).isNull();
    assertThat(InferFrame.parse(new byte[3])).isNull();
  }

  @Test
  void refusesAMessageMalformedDeepInsideAFieldRoutingDoesNotRead() throws Exception {
    // a well-formed top level whose requested output (field 6) holds a name that is not UTF-8
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(output);
    o.writeByteArray(1, new byte[] {(byte) 0xc3, (byte) 0x28});
    o.flush();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(message);
    out.writeString(1, "higgs_mlp_v1");
    out.writeByteArray(6, output.toByteArray());
    out.flush();

    assertThat(InferFrame.parse(GrpcFrame.of(message.toByteArray())))
        .as("refused here: the general path answers it, and no endpoint sees it").isNull();
  }
}
