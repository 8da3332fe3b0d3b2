package dev.yardmaster.router.server.metrics;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ModelStats.FailureReason;
import dev.yardmaster.backend.ServedModel;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Writes Triton's per-model {@code nv_inference_*} metrics in the Prometheus text format, read
 * from each ready model's {@link ModelStats} at scrape time (models come and go with load and
 * unload). Names, types, help texts and labels are Triton's exactly: counters carry no
 * {@code _total} suffix, which the Prometheus client library would add, so they are written here.
 */
public final class TritonMetrics {

  /** A family's series for one model version; {@code labels} go between Triton's model and version labels. */
  private record Series(String labels, ToLongFunction<ServedModel> value) {}

  private record Family(String name, String type, String help, List<Series> series) {}

  private static final long NANOS_PER_MICRO = 1_000;

  private static final List<Family> FAMILIES = List.of(
      counter("nv_inference_request_success", "Number of successful inference requests, all batch sizes",
          model -> model.stats().success().count()),
      // one series per failure reason, 0 or not, as Triton's MetricModelReporter::InitializeCounters
      new Family("nv_inference_request_failure", "counter", "Number of failed inference requests, all batch sizes",
          Arrays.stream(FailureReason.values()).map(reason -> new Series(",reason=\"" + reason + "\"",
              model -> model.stats().failures(reason))).toList()),
      counter("nv_inference_count", "Number of inferences performed (does not include cached requests)",
          model -> model.stats().inferenceCount()),
      counter("nv_inference_exec_count",
          "Number of model executions performed (does not include cached requests)",
          model -> model.stats().executionCount()),
      counter("nv_inference_request_duration_us",
          "Cumulative inference request duration in microseconds (includes cached requests)",
          model -> model.stats().success().nanos() / NANOS_PER_MICRO),
      counter("nv_inference_queue_duration_us",
          "Cumulative inference queuing duration in microseconds (includes cached requests)",
          model -> model.stats().queue().nanos() / NANOS_PER_MICRO),
      counter("nv_inference_compute_input_duration_us",
          "Cumulative compute input duration in microseconds (does not include cached requests)",
          model -> model.stats().computeInput().nanos() / NANOS_PER_MICRO),
      counter("nv_inference_compute_infer_duration_us",
          "Cumulative compute inference duration in microseconds (does not include cached requests)",
          model -> model.stats().computeInfer().nanos() / NANOS_PER_MICRO),
      counter("nv_inference_compute_output_duration_us",
          "Cumulative inference compute output duration in microseconds (does not include cached requests)",
          model -> model.stats().computeOutput().nanos() / NANOS_PER_MICRO),
      new Family("nv_inference_pending_request_count", "gauge",
          "Instantaneous number of pending requests awaiting execution per-model.",
          List.of(new Series("", model -> model.queuedRequests()))));

  private final ModelManager manager;

  public TritonMetrics(ModelManager manager) {
    this.manager = manager;
  }

  private static Family counter(String name, String help, ToLongFunction<ServedModel> value) {
    return new Family(name, "counter", help, List.of(new Series("", value)));
  }

  /** Appends every family for every ready model version. */
  public void writeTo(StringBuilder out) {
    List<ServedModel> models = manager.readyModels();
    if (models.isEmpty()) {
      return;
    }
    for (Family family : FAMILIES) {
      out.append("# HELP ").append(family.name()).append(' ').append(family.help()).append('\n');
      out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
      for (ServedModel model : models) {
        for (Series series : family.series()) {
          out.append(family.name()).append("{model=\"");
          escape(model.spec().name(), out);
          out.append('"').append(series.labels()).append(",version=\"");
          escape(model.spec().version(), out);
          out.append("\"} ").append(series.value().applyAsLong(model)).append('\n');
        }
      }
    }
  }

  private static void escape(String labelValue, StringBuilder out) {
    for (int i = 0; i < labelValue.length(); i++) {
      char c = labelValue.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
