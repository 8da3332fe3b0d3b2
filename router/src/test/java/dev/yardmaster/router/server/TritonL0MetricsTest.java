package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.addSubRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.ModelStats.FailureReason;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelQueuePolicy;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.MetricsScrape;
import io.grpc.Status;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's qa/L0_metrics, the cases about the per-model {@code nv_inference_*} metrics that apply
 * to an ONNX-only server: metrics_config_test.py (which families a default server publishes) and
 * metrics_queue_size_test.py (pending request count, inference and execution counts per scheduler),
 * read from the metrics port over real HTTP after real gRPC requests to the add_sub graph.
 * Triton's queue-size tests hold executions with a model that sleeps; here the dynamic batcher's
 * queue delay holds the requests instead, and the default scheduler's pending count is checked
 * before and after. Each model is used by one test only, so counts are exact.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TritonL0MetricsTest extends ServedRepositoryTest {

  private static final String DEFAULT = "default";
  private static final String DYNAMIC = "dynamic";
  private static final String MAX_QUEUE_SIZE = "max_queue_size";
  private static final String QUEUE_TIMEOUT = "queue_timeout";
  private static final String COUNTED = "counted";
  private static final String UNLOADED = "unloaded";
  private static final String NOT_BATCHING = TritonRequests.FP32;
  /** Long enough that a batch the test fills is never cut by the delay first. */
  private static final long LONG_DELAY_MICROS = 20_000_000;
  private static final long MAX_QUEUE_SIZE_DELAY_MICROS = 5_000_000;
  private static final Duration POLL_BOUND = Duration.ofSeconds(4);


  @BeforeAll
  static void startServer() throws IOException {
    ModelConfig base = DemoModels.config(DemoModels.ADD_SUB, false);
    write(base.toBuilder().setName(DEFAULT).build());
    write(base.toBuilder().setName(COUNTED).build());
    write(base.toBuilder().setName(UNLOADED).build());
    write(DemoModels.identityConfig(DataType.FP32), NOT_BATCHING);
    write(base.toBuilder().setName(DYNAMIC).setMaxBatchSize(4)
        .setDynamicBatching(ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(LONG_DELAY_MICROS)).build());
    write(base.toBuilder().setName(MAX_QUEUE_SIZE).setMaxBatchSize(8)
        .setDynamicBatching(ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(MAX_QUEUE_SIZE_DELAY_MICROS)
            .setDefaultQueuePolicy(ModelQueuePolicy.newBuilder().setMaxQueueSize(4))).build());
    write(base.toBuilder().setName(QUEUE_TIMEOUT).setMaxBatchSize(8)
        .setDynamicBatching(ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(LONG_DELAY_MICROS)
            .setDefaultQueuePolicy(ModelQueuePolicy.newBuilder()
                .setTimeoutAction(ModelQueuePolicy.TimeoutAction.REJECT).setDefaultTimeoutMicroseconds(200_000)))
        .build());
    serve();
  }

  // metrics_config_test.py MetricsConfigTest.test_inf_counters_exist, test_inf_summaries_missing
  // and test_cache_counters_missing / test_cache_summaries_missing, under Triton's default
  // settings: the latency counters are published, summaries and cache metrics are not. The
  // endpoint answers Prometheus text 0.0.4, each family with Triton's HELP and TYPE lines, and
  // every series labelled model and version (plus reason for failures, as Triton's
  // MetricModelReporter::InitializeCounters).
  @Test
  void test_inf_counters_exist_and_summaries_and_cache_metrics_missing() throws Exception {
    HttpResponse<String> scrape = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    String text = scrape.body();

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
    for (String family : List.of("nv_inference_request_duration", "nv_inference_queue_duration",
        "nv_inference_compute_input_duration", "nv_inference_compute_infer_duration",
        "nv_inference_compute_output_duration")) {
      assertThat(text).contains("# TYPE " + family + "_us counter\n");
      assertThat(text).contains(family + "_us{model=\"" + DEFAULT + "\",version=\"1\"} ");
    }
    assertThat(text).doesNotContain("_summary", "nv_cache_");
    assertThat(text).contains(
        "# HELP nv_inference_request_success Number of successful inference requests, all batch sizes\n"
            + "# TYPE nv_inference_request_success counter\n",
        "# HELP nv_inference_pending_request_count Instantaneous number of pending requests awaiting execution "
            + "per-model.\n# TYPE nv_inference_pending_request_count gauge\n");
    for (FailureReason reason : FailureReason.values()) {
      assertThat(text).contains("nv_inference_request_failure{model=\"" + DEFAULT + "\",reason=\"" + reason
          + "\",version=\"1\"} 0\n");
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("nv_inference_")) {
        assertThat(line).matches("nv_inference_[a-z_]+\\{model=\"[a-z0-9_]+\",(reason=\"[A-Z]+\",)?version=\"1\"} \\d+");
      }
    }
  }

  // metrics_queue_size_test.py test_default_scheduler: nothing pending before; every request
  // executed alone, so after all are answered inference and execution counts both equal the
  // requests, and nothing is pending. (Triton's model sleeps to show the queue filling; add_sub
  // does not, so the pending count is read before and after.)
  @Test
  void test_default_scheduler() throws Exception {
    assertThat(metric(DEFAULT, "nv_inference_pending_request_count")).isZero();

    List<ListenableFuture<ModelInferResponse>> sent = sendAsync(DEFAULT, 10);
    for (ListenableFuture<ModelInferResponse> response : sent) {
      assertThat(response.get(30, TimeUnit.SECONDS).getModelName()).isEqualTo(DEFAULT);
    }

    assertThat(metric(DEFAULT, "nv_inference_pending_request_count")).isZero();
    assertThat(metric(DEFAULT, "nv_inference_request_success")).isEqualTo(10);
    assertThat(metric(DEFAULT, "nv_inference_count")).isEqualTo(10);
    assertThat(metric(DEFAULT, "nv_inference_exec_count")).isEqualTo(10);
  }

  // metrics_queue_size_test.py test_dynamic_batch_scheduler: with a queue delay long enough,
  // requests wait as pending until a full batch (max_batch_size 4) forms, which then runs as one
  // execution: pending 3 while three wait, 0 after; 4 inferences, 1 execution.
  @Test
  void test_dynamic_batch_scheduler() throws Exception {
    assertThat(metric(DYNAMIC, "nv_inference_pending_request_count")).isZero();

    List<ListenableFuture<ModelInferResponse>> sent = sendAsync(DYNAMIC, 3);
    awaitMetric(DYNAMIC, "nv_inference_pending_request_count", pending -> pending == 3);
    assertThat(sent).noneMatch(ListenableFuture::isDone);
    sent.addAll(sendAsync(DYNAMIC, 1));
    for (ListenableFuture<ModelInferResponse> response : sent) {
      assertThat(response.get(10, TimeUnit.SECONDS).getModelName()).isEqualTo(DYNAMIC);
    }

    assertThat(metric(DYNAMIC, "nv_inference_pending_request_count")).isZero();
    assertThat(metric(DYNAMIC, "nv_inference_count")).isEqualTo(4);
    assertThat(metric(DYNAMIC, "nv_inference_exec_count")).isEqualTo(1);
  }

  // metrics_queue_size_test.py test_fail_max_queue_size: with default_queue_policy
  // max_queue_size 4 the queue holds 4 pending requests and the others are refused at once
  // (Yardmaster answers RESOURCE_EXHAUSTED where Triton answers UNAVAILABLE "Exceeds maximum queue
  // size", README); the 4 then run as one batch. A refusal at enqueue counts as no request, as in
  // Triton (InferenceRequest::Run: FAILED_ENQUEUE, no statistics).
  @Test
  void test_fail_max_queue_size() throws Exception {
    List<ListenableFuture<ModelInferResponse>> sent = sendAsync(MAX_QUEUE_SIZE, 6);
    awaitMetric(MAX_QUEUE_SIZE, "nv_inference_pending_request_count", pending -> pending == 4);

    int failed = 0;
    for (ListenableFuture<ModelInferResponse> response : sent) {
      try {
        assertThat(response.get(30, TimeUnit.SECONDS).getModelName()).isEqualTo(MAX_QUEUE_SIZE);
      } catch (ExecutionException refused) {
        assertThat(Status.fromThrowable(refused.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        failed++;
      }
    }

    assertThat(failed).isEqualTo(2);
    assertThat(metric(MAX_QUEUE_SIZE, "nv_inference_pending_request_count")).isZero();
    assertThat(metric(MAX_QUEUE_SIZE, "nv_inference_count")).isEqualTo(4);
    assertThat(metric(MAX_QUEUE_SIZE, "nv_inference_exec_count")).isEqualTo(1);
    assertThat(metric(MAX_QUEUE_SIZE, "nv_inference_request_success")).isEqualTo(4);
    for (FailureReason reason : FailureReason.values()) {
      assertThat(failures(MAX_QUEUE_SIZE, reason)).as("%s", reason).isZero();
    }
  }

  // Triton core dynamic_batch_scheduler.cc FinishRejectedCancelledRequests and infer_stats.cc
  // UpdateFailure: a request whose queue timeout passes under timeout_action REJECT fails and is
  // counted in nv_inference_request_failure with reason REJECTED; it is no longer pending.
  @Test
  void aRequestRejectedByItsQueueTimeoutCountsAsARejectedFailure() throws Exception {
    ListenableFuture<ModelInferResponse> sent = sendAsync(QUEUE_TIMEOUT, 1).get(0);

    ExecutionException rejected = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> sent.get(30, TimeUnit.SECONDS));
    assertThat(Status.fromThrowable(rejected.getCause()).getDescription()).startsWith("Request timeout expired");

    assertThat(failures(QUEUE_TIMEOUT, FailureReason.REJECTED)).isEqualTo(1);
    assertThat(failures(QUEUE_TIMEOUT, FailureReason.BACKEND)).isZero();
    assertThat(metric(QUEUE_TIMEOUT, "nv_inference_request_success")).isZero();
    assertThat(metric(QUEUE_TIMEOUT, "nv_inference_pending_request_count")).isZero();
    assertThat(metric(QUEUE_TIMEOUT, "nv_inference_exec_count")).isZero();
  }

  // Triton core infer_stats.cc UpdateSuccess / UpdateInferBatchStats: per successful request
  // nv_inference_request_success counts 1 and nv_inference_count its rows, per execution
  // nv_inference_exec_count 1, and the duration counters add microseconds. A request the model's
  // validation refuses counts as a failure with reason OTHER (Yardmaster's ModelStats; Triton
  // refuses it in InferenceRequest::PrepareForInference before any statistics).
  @Test
  void countsAfterSuccessesAndAFailure() throws Exception {
    ModelInferRequest threeRows = ModelInferRequest.newBuilder().setModelName(COUNTED)
        .addInputs(TritonRequests.tensor("INPUT0", "FP32", 3, 16)).addInputs(TritonRequests.tensor("INPUT1", "FP32", 3, 16))
        .addRawInputContents(TritonRequests.raw(48)).addRawInputContents(TritonRequests.raw(48)).build();
    TritonRequests.grpcInfer(channel, addSubRow().setModelName(COUNTED).build());
    TritonRequests.grpcInfer(channel, threeRows);
    ModelInferRequest badShape = addSubRow().setModelName(COUNTED)
        .setInputs(0, TritonRequests.tensor("INPUT0", "FP32", 1, 8)).build();
    assertThat(TritonRequests.grpcError(channel, badShape).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    assertThat(metric(COUNTED, "nv_inference_request_success")).isEqualTo(2);
    assertThat(metric(COUNTED, "nv_inference_count")).isEqualTo(4);
    assertThat(metric(COUNTED, "nv_inference_exec_count")).isEqualTo(2);
    assertThat(failures(COUNTED, FailureReason.OTHER)).isEqualTo(1);
    assertThat(failures(COUNTED, FailureReason.REJECTED)).isZero();
    assertThat(metric(COUNTED, "nv_inference_request_duration_us")).isPositive();
    assertThat(metric(COUNTED, "nv_inference_request_duration_us")).isGreaterThanOrEqualTo(
        metric(COUNTED, "nv_inference_compute_infer_duration_us"));
    assertThat(metric(COUNTED, "nv_inference_pending_request_count")).isZero();
  }

  // Triton's metrics guide (Inference Request Metrics, Counts): "For models that do not support
  // batching, Request Count, Inference Count and Execution Count will be equal", whatever the
  // shape of each request (here [4, 2] to an identity model with max_batch_size 0).
  @Test
  void aModelWithoutBatchingCountsOneInferencePerRequest() throws Exception {
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(NOT_BATCHING)
        .addInputs(TritonRequests.tensor("INPUT0", "FP32", 4, 2)).addRawInputContents(TritonRequests.raw(8)).build();
    TritonRequests.grpcInfer(channel, request);
    TritonRequests.grpcInfer(channel, request);

    assertThat(metric(NOT_BATCHING, "nv_inference_request_success")).isEqualTo(2);
    assertThat(metric(NOT_BATCHING, "nv_inference_count")).isEqualTo(2);
    assertThat(metric(NOT_BATCHING, "nv_inference_exec_count")).isEqualTo(2);
  }

  // general_metrics_test.py test_metrics_load_time_explicit_unload, for the nv_inference_*
  // families (Yardmaster publishes no nv_model_load_time): an unloaded model's series leave the
  // scrape, as Triton's MetricModelReporter removes its metrics when the model goes; loaded
  // again, they start over at 0.
  @Test
  void anUnloadedModelsSeriesLeaveTheScrape() throws Exception {
    TritonRequests.grpcInfer(channel, addSubRow().setModelName(UNLOADED).build());
    assertThat(metric(UNLOADED, "nv_inference_request_success")).isEqualTo(1);
    LocalHttp http = new LocalHttp(server.httpPort());

    assertThat(http.post("/v2/repository/models/" + UNLOADED + "/unload", "").statusCode()).isEqualTo(200);
    String scrape = MetricsScrape.of(server.metricsPort());
    // Yardmaster's own yardmaster_requests_total keeps its counts by model name; Triton's families go
    assertThat(scrape).doesNotContainPattern("(?m)^nv_inference_[a-z_]+\\{model=\"" + UNLOADED + "\"");
    assertThat(scrape).contains("nv_inference_request_success{model=\"" + COUNTED + "\",version=\"1\"}");

    assertThat(http.post("/v2/repository/models/" + UNLOADED + "/load", "").statusCode()).isEqualTo(200);
    assertThat(metric(UNLOADED, "nv_inference_request_success")).isZero();
    assertThat(metric(UNLOADED, "nv_inference_exec_count")).isZero();
  }

  private static void write(ModelConfig config) throws IOException {
    write(config, DemoModels.ADD_SUB);
  }

  private static void write(ModelConfig config, String graph) throws IOException {
    Path dir = repository.resolve(config.getName());
    OnnxGraphBuilder.write(DemoModels.model(graph), dir.resolve("1").resolve("model.onnx"));
    Files.writeString(dir.resolve("config.pbtxt"), TextFormat.printer().printToString(config));
  }

  private static List<ListenableFuture<ModelInferResponse>> sendAsync(String model, int count) {
    GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(channel);
    List<ListenableFuture<ModelInferResponse>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(async.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(addSubRow().setModelName(model).build()));
    }
    return sent;
  }

  /** The value of {@code family{model="model",version="1"}} in a fresh scrape. */
  private static long metric(String model, String family) throws IOException, InterruptedException {
    return value(MetricsScrape.of(server.metricsPort()), family + "{model=\"" + model + "\",version=\"1\"}");
  }

  private static long failures(String model, FailureReason reason) throws IOException, InterruptedException {
    return value(MetricsScrape.of(server.metricsPort()),
        "nv_inference_request_failure{model=\"" + model + "\",reason=\"" + reason + "\",version=\"1\"}");
  }

  private static long value(String scrape, String series) {
    Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\d+)$", Pattern.MULTILINE).matcher(scrape);
    assertThat(line.find()).as("%s in the scrape", series).isTrue();
    return Long.parseLong(line.group(1));
  }

  /** Scrapes until the series satisfies {@code condition}, at most {@link #POLL_BOUND}. */
  private static void awaitMetric(String model, String family, Predicate<Long> condition) throws Exception {
    long deadline = System.nanoTime() + POLL_BOUND.toNanos();
    long last = metric(model, family);
    while (!condition.test(last) && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
      last = metric(model, family);
    }
    assertThat(condition.test(last)).as("%s of %s reached the expected value within %s (last: %s)", family, model,
        POLL_BOUND, last).isTrue();
  }
}
