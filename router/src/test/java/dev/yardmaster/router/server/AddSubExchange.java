package dev.yardmaster.router.server;

import static dev.yardmaster.protocol.DataType.FP16;
import static dev.yardmaster.protocol.DataType.FP32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.router.server.QaInfer.Answer;
import dev.yardmaster.router.server.QaInfer.Input;
import dev.yardmaster.router.server.QaInfer.Output;
import dev.yardmaster.router.server.QaInfer.Way;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One request to an add/sub qa model drawn as Triton's {@code infer_util.py} {@code infer_exact}
 * draws it (values within half of every range involved, FP32's for a classified output; INPUT0 >=
 * INPUT1 when unsigned), sent any {@link Way} and checked as infer_exact checks the answer: raw
 * outputs exactly, classified ones by value at their index and rank.
 */
final class AddSubExchange {
  /** infer_exact's class_count. */
  static final int CLASSES = 3;

  final String model;
  final DataType input;
  final DataType output0;
  final DataType output1;
  final boolean batched;
  final long[] shape;
  final long[] input0;
  final long[] input1;

  private final ManagedChannel channel;
  private final int httpPort;

  private AddSubExchange(ManagedChannel channel, int httpPort, DataType input, DataType output0, DataType output1,
      boolean batched, long[] shape, long[] input0, long[] input1) {
    this.model = TritonQaModels.addSubName(batched, input, output0, output1);
    this.channel = channel;
    this.httpPort = httpPort;
    this.input = input;
    this.output0 = output0;
    this.output1 = output1;
    this.batched = batched;
    this.shape = shape;
    this.input0 = input0;
    this.input1 = input1;
  }

  /** Values within half of every range involved (FP32's for a classified output), in0 >= in1 when unsigned. */
  static AddSubExchange draw(ManagedChannel channel, int httpPort, Random random, DataType input, DataType output0,
      DataType output1, boolean batched, int batch, long[] dims, boolean output0Raw, boolean output1Raw) {
    List<DataType> ranges = List.of(QaValues.rangeType(input),
        QaValues.rangeType(output0Raw ? output0 : FP32), QaValues.rangeType(output1Raw ? output1 : FP32));
    long low = ranges.stream().mapToLong(QaValues::min).max().orElseThrow() / 2;
    long high = ranges.stream().mapToLong(QaValues::max).min().orElseThrow() / 2;
    long[] shape = batched ? LongStream.concat(LongStream.of(batch), Arrays.stream(dims)).toArray() : dims.clone();
    int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    long[] input0 = QaValues.random(random, count, low, high);
    long[] input1 = QaValues.random(random, count, low, high);
    if (low == 0) {
      for (int i = 0; i < count; i++) {
        long larger = Math.max(input0[i], input1[i]);
        input1[i] = Math.min(input0[i], input1[i]);
        input0[i] = larger;
      }
    }
    return new AddSubExchange(channel, httpPort, input, output0, output1, batched, shape, input0, input1);
  }

  List<Input> inputs() {
    return List.of(new Input("INPUT0", input, shape, input0), new Input("INPUT1", input, shape, input1));
  }

  ModelInferRequest grpcRequest(String version) {
    return ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version)
        .addInputs(TritonRequests.tensor("INPUT0", input.name(), shape))
        .addInputs(TritonRequests.tensor("INPUT1", input.name(), shape))
        .addRawInputContents(QaValues.raw(input, input0))
        .addRawInputContents(QaValues.raw(input, input1)).build();
  }

  BinaryInferBody binaryBody() {
    return new BinaryInferBody()
        .binaryInput("INPUT0", input.name(), shape, QaValues.raw(input, input0).toByteArray())
        .binaryInput("INPUT1", input.name(), shape, QaValues.raw(input, input1).toByteArray());
  }

  String json() {
    return "{\"inputs\":[" + jsonInput("INPUT0", input0) + "," + jsonInput("INPUT1", input1) + "]}";
  }

  private String jsonInput(String name, long[] values) {
    return "{\"name\":\"" + name + "\",\"datatype\":\"" + input.name() + "\",\"shape\":"
        + Arrays.toString(shape) + ",\"data\":" + QaValues.json(input, values) + "}";
  }

  /** Sends the request {@code way} and checks the answer; the answer, or null where the way cannot carry it. */
  @Nullable Answer check(Way way, String version, boolean swap, List<Output> outputs) throws Exception {
    boolean anyHalf = Stream.of(input, output0, output1).anyMatch(type -> type == FP16);
    if (!QaInfer.carries(way, inputs()) || (way == Way.HTTP_JSON && anyHalf)) {
      return null; // infer_exact sends no FP16 as JSON; FP16 has no typed contents
    }
    Answer answer = QaInfer.infer(way, channel, httpPort, model, version, inputs(), outputs);
    String where = model + " v'" + version + "' " + way;
    assertThat(answer.modelName()).as(where).isEqualTo(model);
    if (!version.isEmpty()) {
      assertThat(answer.modelVersion()).as(where).isEqualTo(version);
    }
    assertThat(answer.outputs().keySet()).as(where)
        .containsExactlyInAnyOrderElementsOf(outputs.stream().map(Output::name).toList());
    for (Output output : outputs) {
      boolean first = output.name().equals("OUTPUT0");
      long[] expected = new long[input0.length];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = first != swap ? input0[i] + input1[i] : input0[i] - input1[i];
      }
      QaInfer.Tensor actual = answer.outputs().get(output.name());
      if (output.classes() == 0) {
        assertThat(actual.datatype()).as(where).isEqualTo((first ? output0 : output1).name());
        assertThat(actual.shape()).as(where).containsExactly(shape);
        assertThat(actual.values()).as(where + " " + output.name()).containsExactly(expected);
      } else {
        checkClasses(where + " " + output.name(), actual, expected);
      }
    }
    return answer;
  }

  /** infer_util's class check: each class's value is the expected value at its index and the idx-th largest. */
  private void checkClasses(String where, QaInfer.Tensor actual, long[] expected) {
    int rows = batched ? Math.toIntExact(shape[0]) : 1;
    int width = expected.length / rows;
    assertThat(actual.datatype()).as(where).isEqualTo("BYTES");
    assertThat(actual.shape()).as(where).containsExactly(batched ? new long[] {rows, CLASSES} : new long[] {CLASSES});
    for (int row = 0; row < rows; row++) {
      long[] rowValues = Arrays.copyOfRange(expected, row * width, (row + 1) * width);
      long[] descending = Arrays.stream(rowValues).boxed().sorted((a, b) -> Long.compare(b, a))
          .mapToLong(Long::longValue).toArray();
      List<String> classes = new ArrayList<>(actual.classes().subList(row * CLASSES, (row + 1) * CLASSES));
      for (int k = 0; k < CLASSES; k++) {
        String[] parts = classes.get(k).split(":");
        double value = Double.parseDouble(parts[0]);
        int index = Integer.parseInt(parts[1]);
        assertThat(value).as("%s row %d class %d '%s'", where, row, k, classes.get(k))
            .isEqualTo((double) rowValues[index]).isEqualTo((double) descending[k]);
      }
    }
  }
}
