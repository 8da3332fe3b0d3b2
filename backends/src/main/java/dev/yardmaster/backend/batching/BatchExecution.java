package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ModelStats.FailureReason;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs one execution for a list of requests, shared by both schedulers: joins their inputs, asks
 * the runner for the union of their outputs, gives each request its own rows of the outputs it
 * asked for, and records statistics with Triton's meanings.
 */
final class BatchExecution {
  private final ModelSpec spec;
  private final ModelRunner runner;
  private final ModelStats stats;
  private final LongSupplier clock;
  private final List<String> modelOutputs;
  private final ExecutionTimes times;

  BatchExecution(ModelSpec spec, ModelRunner runner, ModelStats stats, LongSupplier clock) {
    this.spec = spec;
    this.runner = runner;
    this.stats = stats;
    this.clock = clock;
    List<String> names = new ArrayList<>();
    for (TensorSpec output : spec.outputs()) {
      names.add(output.name());
    }
    this.modelOutputs = List.copyOf(names);
    this.times = new ExecutionTimes(Math.max(1, spec.maxBatchSize()));
  }

  /** How long an execution of {@code rows} rows is expected to take; -1 while unknown. */
  long predictNanos(int rows) {
    return times.predictNanos(rows);
  }

  /**
   * The request's batch size (its inputs' dimension 0; 1 when the model does not batch).
   *
   * @throws InferenceException INVALID_ARGUMENT when it has no inputs, its inputs disagree on the
   *     batch size, the size is out of range, or it asks for an output the model lacks
   */
  int validate(InferRequest request) {
    if (!modelOutputs.isEmpty()) {
      for (String output : request.requestedOutputs()) {
        if (!modelOutputs.contains(output)) {
          throw InferenceException.invalidArgument("model '%s' requested output '%s': unknown (expected: one of %s)",
              spec.name(), output, modelOutputs);
        }
      }
    }
    if (!spec.batched()) {
      return 1;
    }
    if (request.inputs().isEmpty()) {
      throw InferenceException.invalidArgument("model '%s' inputs: 0 (expected: >= 1)", spec.name());
    }
    long rows = -1;
    for (Tensor input : request.inputs()) {
      if (input.rank() < 1) {
        throw InferenceException.invalidArgument("input '%s' shape: [] (expected: a batch dimension first)",
            input.name());
      }
      if (rows >= 0 && input.dim(0) != rows) {
        throw InferenceException.invalidArgument("input '%s' batch size: %d (expected: %d as input '%s')",
            input.name(), input.dim(0), rows, request.inputs().get(0).name());
      }
      rows = input.dim(0);
    }
    if (rows < 1 || rows > spec.maxBatchSize()) {
      throw InferenceException.invalidArgument("input '%s' batch size: %d (expected: >= 1 and <= max_batch_size %d)",
          request.inputs().get(0).name(), rows, spec.maxBatchSize());
    }
    return (int) rows;
  }

  /**
   * Executes the members as one batch and completes each of them (see {@link ResponseDelivery}).
   * Never throws.
   *
   * @param here the caller executor whose thread runs this execution (inline), or null
   */
  void execute(List<PendingRequest> members, @Nullable Executor here) {
    execute(members, here, null, 0);
  }

  /**
   * As {@link #execute(List, Executor)}; with an {@code order}, the members complete (or fail)
   * only after every batch numbered before {@code sequence} did.
   */
  void execute(List<PendingRequest> batch, @Nullable Executor here, @Nullable ResponseOrder order,
      long sequence) {
    List<PendingRequest> members = withoutCancelled(batch);
    if (members.isEmpty()) {
      if (order != null) {
        order.finish(sequence, () -> { }); // its turn passes: later batches must not wait for it
      }
      return;
    }
    long startNanos = clock.getAsLong();
    @Nullable Runnable completions = null; // set when there is an order
    try {
      List<String> outputNames = outputUnion(members);
      Map<String, Tensor> inputs = joinInputs(members);
      long inputDoneNanos = clock.getAsLong();
      List<Tensor> outputs = runner.run(inputs, outputNames);
      long inferDoneNanos = clock.getAsLong();
      if (outputs.size() != outputNames.size()) {
        throw InferenceException.internal("model '%s' outputs: %d (expected: %d, %s)",
            spec.name(), outputs.size(), outputNames.size(), outputNames);
      }
      List<InferResponse> responses = splitOutputs(members, outputNames, outputs);
      long doneNanos = clock.getAsLong();
      int rows = 0;
      for (PendingRequest member : members) {
        rows += member.rows;
      }
      long inputNanos = inputDoneNanos - startNanos;
      long inferNanos = inferDoneNanos - inputDoneNanos;
      long outputNanos = doneNanos - inferDoneNanos;
      stats.recordExecution(rows, inputNanos, inferNanos, outputNanos);
      times.record(rows, doneNanos - startNanos);
      for (int i = 0; i < members.size(); i++) {
        PendingRequest member = members.get(i);
        stats.recordSuccess(member.rows, doneNanos - member.arrivalNanos(), startNanos - member.enqueueNanos,
            inputNanos, inferNanos, outputNanos);
      }
      if (order == null) {
        ResponseDelivery.complete(members, responses, here);
      } else {
        // Handed over after the try: a throw inside finish must not fail members the order holds.
        completions = () -> completeInOrder(members, responses);
      }
    } catch (Throwable error) {
      InferenceException failure = InferenceException.from(error);
      long doneNanos = clock.getAsLong();
      for (PendingRequest member : members) {
        if (!member.future.isDone()) {
          stats.recordFailure(doneNanos - member.arrivalNanos(), FailureReason.BACKEND);
          if (order == null) {
            member.fail(failure);
          }
        }
      }
      if (order != null) {
        completions = () -> failAll(members, failure);
      }
    }
    if (order != null && completions != null) {
      order.finish(sequence, completions);
    }
  }

  /**
   * Completes the members of a batch released in order. Every member's completion is posted to
   * its caller's executor, even the thread releasing, so that each executor runs its callers'
   * completions in batch order (one completed here at once would pass one still in its queue).
   */
  private static void completeInOrder(List<PendingRequest> members, List<InferResponse> responses) {
    try {
      ResponseDelivery.complete(members, responses, null);
    } catch (Throwable error) {
      failAll(members, InferenceException.from(error));
    }
  }

  private static void failAll(List<PendingRequest> members, InferenceException failure) {
    for (PendingRequest member : members) {
      if (!member.future.isDone()) {
        member.fail(failure);
      }
    }
  }

  /**
   * The members whose callers are still there. The others fail CANCELLED now, counted as failures
   * (Triton checks for cancelled requests before executing a batch, and they answer CANCELLED).
   */
  private List<PendingRequest> withoutCancelled(List<PendingRequest> batch) {
    List<PendingRequest> live = null; // a copy only when some member is cancelled
    for (int i = 0; i < batch.size(); i++) {
      PendingRequest member = batch.get(i);
      if (!member.request.cancelled().getAsBoolean()) {
        if (live != null) {
          live.add(member);
        }
        continue;
      }
      if (live == null) {
        live = new ArrayList<>(batch.subList(0, i));
      }
      long now = clock.getAsLong();
      stats.recordFailure(now - member.arrivalNanos(), FailureReason.CANCELED);
      member.fail(InferenceException.cancelled("model '%s' request '%s': cancelled by its caller after %d us in the "
          + "queue (expected: a caller still waiting)", spec.name(), member.request.id(),
          (now - member.enqueueNanos) / 1_000));
    }
    return live == null ? batch : live;
  }

  /** Fails a request whose queue timeout passed (REJECT action), with Triton's message. */
  void failTimedOut(PendingRequest pending) {
    long now = clock.getAsLong();
    stats.recordFailure(now - pending.arrivalNanos(), FailureReason.REJECTED);
    pending.fail(InferenceException.deadlineExceeded(
        "Request timeout expired: model '%s' request '%s' queue time: %d us (expected: <= timeout %d us)",
        spec.name(), pending.request.id(), (now - pending.enqueueNanos) / 1_000, pending.timeoutNanos / 1_000));
  }

  private List<String> outputUnion(List<PendingRequest> members) {
    Set<String> union = new LinkedHashSet<>();
    for (PendingRequest member : members) {
      List<String> requested = member.request.requestedOutputs();
      if (requested.isEmpty()) {
        return modelOutputs;
      }
      union.addAll(requested);
    }
    return List.copyOf(union);
  }

  private Map<String, Tensor> joinInputs(List<PendingRequest> members) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    if (members.size() == 1) {
      for (Tensor input : members.get(0).request.inputs()) {
        inputs.put(input.name(), input);
      }
      return inputs;
    }
    for (Tensor input : members.get(0).request.inputs()) {
      List<Tensor> parts = new ArrayList<>(members.size());
      for (PendingRequest member : members) {
        parts.add(inputNamed(member.request, input.name()));
      }
      inputs.put(input.name(), TensorBatching.concat(input.name(), parts));
    }
    return inputs;
  }

  private static Tensor inputNamed(InferRequest request, String name) {
    for (Tensor input : request.inputs()) {
      if (input.name().equals(name)) {
        return input;
      }
    }
    // The batch key makes members agree on input names; reaching here is a scheduler bug.
    throw InferenceException.internal("request '%s' input '%s': missing (expected: the same inputs as its batch)",
        request.id(), name);
  }

  private List<InferResponse> splitOutputs(List<PendingRequest> members, List<String> outputNames,
      List<Tensor> outputs) {
    int[] rows = new int[members.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = members.get(i).rows;
    }
    Map<String, List<Tensor>> parts = new HashMap<>();
    for (int j = 0; j < outputNames.size(); j++) {
      Tensor output = outputs.get(j);
      if (!output.name().equals(outputNames.get(j))) {
        output = output.withName(outputNames.get(j));
      }
      parts.put(outputNames.get(j), members.size() == 1 ? List.of(output) : TensorBatching.split(output, rows));
    }
    List<InferResponse> responses = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      InferRequest request = members.get(i).request;
      List<String> wanted = request.requestedOutputs().isEmpty() ? outputNames : request.requestedOutputs();
      List<Tensor> own = new ArrayList<>(wanted.size());
      for (String name : wanted) {
        own.add(parts.get(name).get(i));
      }
      responses.add(new InferResponse(request.modelName(), versionOf(request), request.id(), own, Map.of()));
    }
    return responses;
  }

  private String versionOf(InferRequest request) {
    return request.modelVersion().isEmpty() ? spec.version() : request.modelVersion();
  }
}
