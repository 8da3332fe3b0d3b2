package dev.yardmaster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProtoTensorCodecTest {

  /** Three elements of each typed datatype and their little-endian bytes. */
  record Sample(InferTensorContents contents, byte[] bytes) {}

  static Sample sample(DataType type) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case BOOL -> {
        contents.addBoolContents(true).addBoolContents(false).addBoolContents(true);
        bytes.put((byte) 1).put((byte) 0).put((byte) 1);
      }
      case UINT8 -> {
        contents.addUintContents(0).addUintContents(7).addUintContents(255);
        bytes.put((byte) 0).put((byte) 7).put((byte) 255);
      }
      case UINT16 -> {
        contents.addUintContents(0).addUintContents(7).addUintContents(65535);
        bytes.putShort((short) 0).putShort((short) 7).putShort((short) 65535);
      }
      case UINT32 -> {
        contents.addUintContents(0).addUintContents(7).addUintContents(-1);
        bytes.putInt(0).putInt(7).putInt(-1);
      }
      case UINT64 -> {
        contents.addUint64Contents(0).addUint64Contents(7).addUint64Contents(-1L);
        bytes.putLong(0).putLong(7).putLong(-1L);
      }
      case INT8 -> {
        contents.addIntContents(-128).addIntContents(0).addIntContents(127);
        bytes.put((byte) -128).put((byte) 0).put((byte) 127);
      }
      case INT16 -> {
        contents.addIntContents(-32768).addIntContents(1).addIntContents(32767);
        bytes.putShort((short) -32768).putShort((short) 1).putShort((short) 32767);
      }
      case INT32 -> {
        contents.addIntContents(Integer.MIN_VALUE).addIntContents(1).addIntContents(Integer.MAX_VALUE);
        bytes.putInt(Integer.MIN_VALUE).putInt(1).putInt(Integer.MAX_VALUE);
      }
      case INT64 -> {
        contents.addInt64Contents(Long.MIN_VALUE).addInt64Contents(1).addInt64Contents(Long.MAX_VALUE);
        bytes.putLong(Long.MIN_VALUE).putLong(1).putLong(Long.MAX_VALUE);
      }
      case FP32 -> {
        contents.addFp32Contents(-1.5f).addFp32Contents(0f).addFp32Contents(3.25f);
        bytes.putFloat(-1.5f).putFloat(0f).putFloat(3.25f);
      }
      case FP64 -> {
        contents.addFp64Contents(-1.5).addFp64Contents(0).addFp64Contents(1e300);
        bytes.putDouble(-1.5).putDouble(0).putDouble(1e300);
      }
      case BYTES -> {
        for (String value : List.of("a", "", "héllo")) {
          byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
          contents.addBytesContents(ByteString.copyFrom(utf8));
          bytes.putInt(utf8.length).put(utf8);
        }
      }
      case FP16, BF16 -> {
        bytes.putShort((short) 0x3C00).putShort((short) 0).putShort((short) 0xC000);
      }
    }
    bytes.flip();
    byte[] array = new byte[bytes.remaining()];
    bytes.get(array);
    return new Sample(contents.build(), array);
  }

  private static byte[] bytesOf(Tensor tensor) {
    ByteBuffer data = tensor.data();
    byte[] array = new byte[data.remaining()];
    data.get(array);
    return array;
  }

  private static InferResponse responseWith(Tensor output) {
    return new InferResponse("m", "1", "req-1", List.of(output), Map.of("k", "v"));
  }

  @ParameterizedTest
  @EnumSource(DataType.class)
  void rawInputsAreWrappedAndRawOutputsAreTheSameBytes(DataType type) {
    Sample sample = sample(type);
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .setModelName("m").setId("req-1")
        .addInputs(InferInputTensor.newBuilder().setName("IN").setDatatype(type.wireName()).addShape(1).addShape(3))
        .addRawInputContents(ByteString.copyFrom(sample.bytes()))
        .build();

    InferRequest request = ProtoTensorCodec.toInferRequest(message, 42);

    Tensor input = request.inputs().get(0);
    assertThat(input.dataType()).isEqualTo(type);
    assertThat(input.shape()).containsExactly(1, 3);
    assertThat(bytesOf(input)).isEqualTo(sample.bytes());

    ModelInferResponse response =
        ProtoTensorCodec.toModelInferResponse(responseWith(input.withName("OUT")), true);
    assertThat(response.getId()).isEqualTo("req-1");
    assertThat(response.getOutputs(0).getName()).isEqualTo("OUT");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo(type.wireName());
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
    assertThat(response.getRawOutputContents(0).toByteArray()).isEqualTo(sample.bytes());
    assertThat(response.getParametersMap().get("k").getStringParam()).isEqualTo("v");
  }

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FP16", "BF16"}, mode = EnumSource.Mode.EXCLUDE)
  void typedContentsBecomeLittleEndianBytesAndComeBackTyped(DataType type) {
    Sample sample = sample(type);
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .setModelName("m")
        .addInputs(InferInputTensor.newBuilder().setName("IN").setDatatype(type.wireName()).addShape(3)
            .setContents(sample.contents()))
        .build();

    InferRequest request = ProtoTensorCodec.toInferRequest(message, 0);

    assertThat(bytesOf(request.inputs().get(0))).isEqualTo(sample.bytes());
    ModelInferResponse response =
        ProtoTensorCodec.toModelInferResponse(responseWith(request.inputs().get(0)), false);
    assertThat(response.getRawOutputContentsCount()).isZero();
    assertThat(response.getOutputs(0).getContents()).isEqualTo(sample.contents());
  }

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FP16", "BF16"})
  void halfPrecisionOnlyTravelsRaw(DataType type) {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .addInputs(InferInputTensor.newBuilder().setName("IN").setDatatype(type.wireName()).addShape(1)
            .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
        .build();
    assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("input 'IN' contents")
        .hasMessageContaining("raw_input_contents");

    Tensor half = Tensor.of("OUT", type, new long[] {3}, sample(type).bytes());
    ModelInferResponse response = ProtoTensorCodec.toModelInferResponse(responseWith(half), false);
    assertThat(response.getRawOutputContents(0).toByteArray()).isEqualTo(sample(type).bytes());
  }

  @Test
  void rawCountMismatchNamesBothCounts() {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .addInputs(InferInputTensor.newBuilder().setName("A").setDatatype("FP32").addShape(1))
        .addInputs(InferInputTensor.newBuilder().setName("B").setDatatype("FP32").addShape(1))
        .addRawInputContents(ByteString.copyFrom(new byte[4]))
        .build();
    assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
        .isInstanceOfSatisfying(InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
        .hasMessage("raw_input_contents: 1 entries (expected: 2, one per input)");
  }

  @Test
  void mixingRawAndTypedIsRejected() {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .addInputs(InferInputTensor.newBuilder().setName("A").setDatatype("FP32").addShape(1)
            .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
        .addRawInputContents(ByteString.copyFrom(new byte[4]))
        .build();
    assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("input 'A' contents");
  }

  /** Triton's grpc_explicit_int_content_client: two inputs with contents, one raw for INPUT0 as well. */
  @Test
  void typedInputBesideRawIsNamedBeforeTheRawCount() {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("INT32").addShape(1)
            .setContents(InferTensorContents.newBuilder().addIntContents(1)))
        .addInputs(InferInputTensor.newBuilder().setName("INPUT1").setDatatype("INT32").addShape(1)
            .setContents(InferTensorContents.newBuilder().addIntContents(1)))
        .addRawInputContents(ByteString.copyFrom(new byte[4]))
        .build();
    assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
        .isInstanceOf(InferenceException.class)
        .hasMessage("input 'INPUT0' contents: set together with raw_input_contents (expected: one of them)");
  }

  @Test
  void unknownDatatypeNamesTensorAndAllowedTypes() {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .addInputs(InferInputTensor.newBuilder().setName("A").setDatatype("FLOAT").addShape(1))
        .build();
    assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
        .isInstanceOfSatisfying(InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
        .hasMessageStartingWith("input 'A' datatype: FLOAT (expected: one of [BOOL, UINT8");
  }

  @Test
  void typedCountMustMatchShape() {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .addInputs(InferInputTensor.newBuilder().setName("A").setDatatype("FP32").addShape(2)
            .setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
        .build();
    assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
        .hasMessage("input 'A' contents: 1 FP32 elements (expected: 2 from shape [2])");
  }

  @Test
  void parametersPriorityTimeoutAndRequestedOutputsAreDecoded() {
    ModelInferRequest message = ModelInferRequest.newBuilder()
        .setModelName("m").setModelVersion("2").setId("x")
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(2).build())
        .putParameters("timeout", InferParameter.newBuilder().setInt64Param(1500).build())
        .putParameters("flag", InferParameter.newBuilder().setBoolParam(true).build())
        .putParameters("ratio", InferParameter.newBuilder().setDoubleParam(0.5).build())
        .putParameters("tag", InferParameter.newBuilder().setStringParam("t").build())
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("OUTPUT1"))
        .build();

    InferRequest request = ProtoTensorCodec.toInferRequest(message, 7);

    assertThat(request.modelName()).isEqualTo("m");
    assertThat(request.modelVersion()).isEqualTo("2");
    assertThat(request.id()).isEqualTo("x");
    assertThat(request.priority()).isEqualTo(2);
    assertThat(request.timeoutMicros()).isEqualTo(1500);
    assertThat(request.arrivalNanos()).isEqualTo(7);
    assertThat(request.requestedOutputs()).containsExactly("OUTPUT1");
    assertThat(request.parameters()).containsEntry("flag", true).containsEntry("ratio", 0.5)
        .containsEntry("tag", "t").containsEntry("priority", 2L);
  }

  @Test
  void aPriorityPastTheIntRangeAsksForTheDefaultLevelInsteadOfWrappingAround() {
    for (InferParameter huge : List.of(InferParameter.newBuilder().setInt64Param((1L << 32) + 1).build(),
        InferParameter.newBuilder().setUint64Param(-1L).build())) { // uint64 2^64 - 1
      ModelInferRequest message = ModelInferRequest.newBuilder().setModelName("m")
          .putParameters("priority", huge).putParameters("timeout", huge).build();
      InferRequest request = ProtoTensorCodec.toInferRequest(message, 0);
      assertThat(request.priority()).as("%s", huge).isEqualTo(Integer.MAX_VALUE);
      assertThat(request.timeoutMicros()).as("%s", huge).isPositive();
    }
  }

  @Test
  void aNegativePriorityOrTimeoutIsInvalid() {
    for (String name : List.of("priority", "timeout")) {
      ModelInferRequest message = ModelInferRequest.newBuilder().setModelName("m")
          .putParameters(name, InferParameter.newBuilder().setInt64Param(-1).build()).build();
      assertThatThrownBy(() -> ProtoTensorCodec.toInferRequest(message, 0))
          .isInstanceOfSatisfying(InferenceException.class,
              e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
          .hasMessageStartingWith("parameter '" + name + "': -1 (expected: >= 0");
    }
  }

  @Test
  void responseParametersKeepTheirTypes() {
    Map<String, InferParameter> proto = ProtoTensorCodec.toProto(Map.of("b", true, "l", 3L, "d", 1.5, "s", "x"));
    assertThat(proto.get("b").getBoolParam()).isTrue();
    assertThat(proto.get("l").getInt64Param()).isEqualTo(3);
    assertThat(proto.get("d").getDoubleParam()).isEqualTo(1.5);
    assertThat(proto.get("s").getStringParam()).isEqualTo("x");
  }
}
