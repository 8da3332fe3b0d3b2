package dev.yardmaster.router.server;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.protocol.OutputClassification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What the gRPC and HTTP front ends share: the model manager, server readiness, the classification
 * of outputs, and the count of in-flight inferences that a graceful stop waits for. Once stopping,
 * new inferences are refused with UNAVAILABLE while those already accepted finish.
 */
public final class ServingCore {

  /** Index reasons of models that are unavailable on purpose (unloaded, or never asked for). */
  private static final Set<String> ON_PURPOSE_REASONS = Set.of("", "unloaded", "not loaded");

  private final ModelManager manager;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final Set<Runnable> stopListeners = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting = true;

  public ServingCore(ModelManager manager) {
    this.manager = manager;
  }

  public ModelManager manager() {
    return manager;
  }

  /** Live while the process can answer at all. */
  public boolean live() {
    return true;
  }

  /**
   * Ready while accepting and every model that should be ready is: no model without a ready version
   * is loading, or unavailable for a reason other than having been unloaded on purpose. Models
   * never asked to load (name-only index rows) do not count.
   */
  public boolean ready() {
    if (!accepting) {
      return false;
    }
    Map<String, List<ModelIndexEntry>> byModel = new LinkedHashMap<>();
    for (ModelIndexEntry entry : manager.index(false)) {
      byModel.computeIfAbsent(entry.name(), name -> new ArrayList<>()).add(entry);
    }
    for (List<ModelIndexEntry> rows : byModel.values()) {
      boolean serving = rows.stream().anyMatch(row -> ModelIndexEntry.READY.equals(row.state()));
      boolean onPurpose = rows.stream().allMatch(row -> row.isNameOnly()
          || (ModelIndexEntry.UNAVAILABLE.equals(row.state()) && ON_PURPOSE_REASONS.contains(row.reason())));
      if (!serving && !onPurpose) {
        return false;
      }
    }
    return true;
  }

  public boolean accepting() {
    return accepting;
  }

  /** Inferences accepted and not yet completed. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Resolves the model and schedules the request. Never throws: every failure completes the
   * future with an {@link InferenceException}.
   */
  public CompletableFuture<InferResponse> infer(InferRequest request) {
    CompletableFuture<InferResponse> result = start(request);
    result.whenComplete((response, error) -> finishOne());
    return result;
  }

  /**
   * Counts the request in flight, resolves the model and schedules the request; the caller must
   * call {@link #finishOne()} exactly once when the returned future completes. Never throws.
   */
  CompletableFuture<InferResponse> start(InferRequest request) {
    return start(request, null);
  }

  /**
   * As {@link #start(InferRequest)}, offering the caller's event loop to the model's scheduler
   * for cheap executions ({@link ServedModel#infer(InferRequest, Executor)}).
   */
  CompletableFuture<InferResponse> start(InferRequest request, @Nullable Executor callerExecutor) {
    // Count first, then check: stopAccepting() either sees this request or the request sees it.
    inFlight.incrementAndGet();
    try {
      if (!accepting) {
        throw InferenceException.unavailable("server: stopping (expected: a running server)");
      }
      ServedModel model = manager.resolve(request.modelName(), request.modelVersion());
      return callerExecutor == null ? model.infer(request) : model.infer(request, callerExecutor);
    } catch (RuntimeException error) {
      return CompletableFuture.failedFuture(InferenceException.from(error));
    }
  }

  /** Ends one request counted by {@link #start}; the last one of a stopping server completes the drain. */
  void finishOne() {
    if (inFlight.decrementAndGet() == 0 && !accepting) {
      drained.complete(null);
    }
  }

  /**
   * The response with the outputs its request asked to classify replaced by their top classes
   * ({@link OutputClassification}), batch rows as the answering model version batches.
   *
   * @throws InferenceException INVALID_ARGUMENT for an output whose datatype has no classes
   */
  public InferResponse classify(InferResponse response, OutputClassification classification) {
    if (classification.isEmpty()) {
      return response;
    }
    boolean batched = manager.resolve(response.modelName(), response.modelVersion()).spec().batched();
    return classification.apply(response, batched);
  }

  /** Refuses new inferences; the future completes when the accepted ones have finished. */
  public CompletableFuture<Void> stopAccepting() {
    accepting = false;
    if (inFlight.get() == 0) {
      drained.complete(null);
    }
    return drained;
  }

  /**
   * Registers something to end once the accepted inferences have drained, e.g. an open
   * inference stream that would otherwise hold the listener open until the stop timeout.
   */
  public void addStopListener(Runnable listener) {
    stopListeners.add(listener);
  }

  public void removeStopListener(Runnable listener) {
    stopListeners.remove(listener);
  }

  /** Runs the stop listeners; called after draining, before the listeners close. */
  void runStopListeners() {
    for (Runnable listener : List.copyOf(stopListeners)) {
      listener.run();
    }
    stopListeners.clear();
  }
}
