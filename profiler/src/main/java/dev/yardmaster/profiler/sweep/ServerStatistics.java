package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferBatchStatistics;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ModelStatisticsResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads a model version's cumulative server-side statistics with the KServe v2 ModelStatistics RPC
 * (Triton and Yardmaster implement it) so a point's queue/compute split is the difference of two
 * readings. A backend that does not answer (UNIMPLEMENTED, or any other failure) is asked no more:
 * its points carry no split and {@link #unavailableReason()} says why.
 */
public final class ServerStatistics {

  private final Channel channel;
  private final String model;
  private final String version;
  private @Nullable String unavailableReason;

  private ServerStatistics(Channel channel, String model, String version) {
    this.channel = channel;
    this.model = model;
    this.version = version;
  }

  /** Statistics of {@code model} version {@code version} over {@code channel}. */
  public static ServerStatistics of(Channel channel, String model, String version) {
    return new ServerStatistics(channel, model, version);
  }

  /**
   * The current cumulative counters, or null when the backend exposes none (then and from now on).
   */
  public @Nullable Counters read() {
    if (unavailableReason != null) {
      return null;
    }
    try {
      ModelStatisticsResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).setVersion(version).build());
      for (ModelStatistics stats : response.getModelStatsList()) {
        if (stats.getName().equals(model) && (version.isEmpty() || stats.getVersion().equals(version))) {
          return Counters.of(stats);
        }
      }
      unavailableReason = "ModelStatistics: no entry for " + model + " version " + version
          + " (expected: the measured model version)";
      return null;
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      unavailableReason = "ModelStatistics: " + status.getCode()
          + (status.getDescription() == null ? "" : ": " + status.getDescription())
          + " (expected: a KServe v2 statistics extension)";
      return null;
    }
  }

  /** Why there are no statistics; null while they are read. */
  public @Nullable String unavailableReason() {
    return unavailableReason;
  }

  /**
   * A reading: cumulative request counts and nanoseconds, inferences (rows) and executions.
   *
   * @param queueCount requests that went through the queue
   * @param queueNanos their total queue time
   * @param computeCount requests that were computed (the compute_infer count)
   * @param computeNanos their total compute_input + compute_infer + compute_output time
   * @param inferences rows inferred
   * @param executions model executions
   * @param timedExecutions executions the batch_stats count (0 when the server keeps none)
   * @param executionNanos their total compute_input + compute_infer + compute_output time, once
   *     per execution
   */
  public record Counters(long queueCount, long queueNanos, long computeCount, long computeNanos, long inferences,
      long executions, long timedExecutions, long executionNanos) {

    /** A reading without batch_stats. */
    public Counters(long queueCount, long queueNanos, long computeCount, long computeNanos, long inferences,
        long executions) {
      this(queueCount, queueNanos, computeCount, computeNanos, inferences, executions, 0, 0);
    }

    static Counters of(ModelStatistics stats) {
      InferStatistics infer = stats.getInferenceStats();
      long timedExecutions = 0;
      long executionNanos = 0;
      for (InferBatchStatistics batch : stats.getBatchStatsList()) {
        timedExecutions += batch.getComputeInfer().getCount();
        executionNanos += batch.getComputeInput().getNs() + batch.getComputeInfer().getNs()
            + batch.getComputeOutput().getNs();
      }
      return new Counters(infer.getQueue().getCount(), infer.getQueue().getNs(), infer.getComputeInfer().getCount(),
          infer.getComputeInput().getNs() + infer.getComputeInfer().getNs() + infer.getComputeOutput().getNs(),
          stats.getInferenceCount(), stats.getExecutionCount(), timedExecutions, executionNanos);
    }

    /**
     * What happened between {@code earlier} and this reading; null when no request was computed in
     * between (e.g. every request failed).
     */
    public @Nullable ServerSplit since(Counters earlier) {
      long queued = queueCount - earlier.queueCount;
      long computed = computeCount - earlier.computeCount;
      long executed = executions - earlier.executions;
      if (computed <= 0 || executed <= 0) {
        return null;
      }
      double queueMs = queued <= 0 ? 0 : (queueNanos - earlier.queueNanos) / 1e6 / queued;
      double computeMs = (computeNanos - earlier.computeNanos) / 1e6 / computed;
      double batch = Math.max(1.0, (double) (inferences - earlier.inferences) / executed);
      long timed = timedExecutions - earlier.timedExecutions;
      Double executionMs = timed <= 0 ? null : (executionNanos - earlier.executionNanos) / 1e6 / timed;
      return new ServerSplit(queueMs, computeMs, batch, computed, executed, executionMs);
    }
  }
}
