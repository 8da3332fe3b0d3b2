package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.OPTIONAL;
import static dev.yardmaster.router.server.TritonRequests.grpcError;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.router.server.QaInfer.Input;
import dev.yardmaster.router.server.QaInfer.Output;
import dev.yardmaster.router.server.QaInfer.Way;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's {@code qa/L0_optional_input} ({@code optional_input_test.py}) on ONNX Runtime, over
 * gRPC (unary, streaming, typed contents) and HTTP (binary and JSON). Triton's model is its
 * identity backend with two optional inputs behind a dynamic batcher; Triton's onnxruntime backend
 * takes optional inputs only on models without batching, where each is an initializer that is also
 * a graph input. So the model here is {@code add_with_initializer}: {@code OUTPUT = INPUT +
 * INITIALIZER}, {@code INITIALIZER} optional and ones when left out. The cases that check how the
 * batcher splits requests with different inputs need a batching model and do not apply; the
 * ensemble cases need ensembles.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0OptionalInputTest extends ServedTritonModels {

  private static final long[] SHAPE = {5, 5};

  private static Input input(String name, long first) {
    return new Input(name, DataType.FP32, SHAPE, LongStream.range(first, first + 25).toArray());
  }

  private static long[] sum(Input a, long b) {
    return LongStream.range(0, 25).map(i -> a.values()[(int) i] + b).toArray();
  }

  // test_all_inputs: every input given, each output answers its inputs
  @Test
  void test_all_inputs() throws Exception {
    Input given = input("INPUT", 0);
    Input override = new Input("INITIALIZER", DataType.FP32, SHAPE, LongStream.generate(() -> 10).limit(25).toArray());
    for (Way way : Way.values()) {
      QaInfer.Answer answer = QaInfer.infer(way, channel, server.httpPort(), OPTIONAL, "", List.of(given, override),
          List.of(Output.raw("OUTPUT")));

      assertThat(answer.outputs().get("OUTPUT").values()).as("%s", way).containsExactly(sum(given, 10));
      assertThat(answer.outputs().get("OUTPUT").shape()).containsExactly(SHAPE);
    }
  }

  // test_optional_same_input: the optional input left out, the model runs without it
  @Test
  void test_optional_same_input() throws Exception {
    Input given = input("INPUT", 3);
    for (Way way : Way.values()) {
      QaInfer.Answer answer = QaInfer.infer(way, channel, server.httpPort(), OPTIONAL, "", List.of(given),
          List.of(Output.raw("OUTPUT")));

      assertThat(answer.outputs().get("OUTPUT").values()).as("%s", way).containsExactly(sum(given, 1));
    }
  }

  // test_optional_mix_inputs and test_optional_mix_inputs_2: requests with and without the
  // optional input in flight together, each answered from its own inputs; the statistics count
  // one execution of batch size 1 per request (check_status {1: 4}, 4, 4)
  @Test
  void test_optional_mix_inputs() throws Exception {
    ModelStatistics before = statistics();
    var async = GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    int requests = 16;
    for (int i = 0; i < requests; i++) {
      ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(OPTIONAL)
          .addInputs(TritonRequests.tensor("INPUT", "FP32", SHAPE)).addRawInputContents(TritonRequests.raw(25));
      if (i % 2 == 0) {
        request.addInputs(TritonRequests.tensor("INITIALIZER", "FP32", SHAPE)).addRawInputContents(TritonRequests.raw(25));
      }
      calls.add(async.modelInfer(request.build()));
    }

    for (int i = 0; i < requests; i++) {
      long[] output = QaValues.fromRaw(DataType.FP32, calls.get(i).get(60, TimeUnit.SECONDS).getRawOutputContents(0));
      boolean overridden = i % 2 == 0; // INPUT and INITIALIZER both 0, 1, ..., 24
      long[] expected = LongStream.range(0, 25).map(v -> overridden ? 2 * v : v + 1).toArray();
      assertThat(output).as("request %d", i).containsExactly(expected);
    }
    ModelStatistics after = statistics();
    assertThat(after.getInferenceStats().getSuccess().getCount() - before.getInferenceStats().getSuccess().getCount())
        .isEqualTo(requests);
    assertThat(after.getInferenceCount() - before.getInferenceCount()).isEqualTo(requests);
    assertThat(after.getBatchStatsList()).extracting(batch -> batch.getBatchSize()).containsExactly(1L);
  }

  // what Triton's core answers when an input that is not optional is missing: INVALID_ARG naming
  // it, and only it ("expected 2 inputs but got 0 inputs ... missing required input(s) ['INPUT']")
  @Test
  void aMissingRequiredInputIsNamedAndTheOptionalOneIsNot() throws Exception {
    Status status = grpcError(channel, ModelInferRequest.newBuilder().setModelName(OPTIONAL).build());

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("'INPUT'", "missing").doesNotContain("'INITIALIZER'");
    String onlyOptional = "{\"inputs\":[{\"name\":\"INITIALIZER\",\"shape\":[5,5],\"datatype\":\"FP32\",\"data\":"
        + QaValues.json(DataType.FP32, new long[25]) + "}]}";
    assertThat(http400(httpInfer(server.httpPort(), OPTIONAL, onlyOptional))).contains("'INPUT'", "missing")
        .doesNotContain("'INITIALIZER'");
  }

  private static ModelStatistics statistics() {
    return TritonRequests.stub(channel).modelStatistics(ModelStatisticsRequest.newBuilder().setName(OPTIONAL).build())
        .getModelStats(0);
  }
}
