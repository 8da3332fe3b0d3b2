package dev.yardmaster.backend.emulated;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model manager whose models say they are emulated: each model's config (as the ModelConfig RPC
 * and {@code GET /v2/models/m/config} return it) carries the parameters {@code emulated} (the
 * profile name), {@code emulated_accelerator} and {@code emulated_source}. Everything else is the
 * wrapped manager's.
 */
public final class EmulatedModelManager implements ModelManager {

  /** Config parameter naming the emulated profile. */
  public static final String EMULATED = "emulated";

  private final ModelManager delegate;
  private final EmulatedRunnerFactory runners;
  private final AcceleratorProfile profile;
  /** Labelled views by wrapped model (identity); cleared when models load or unload. */
  private final Map<ServedModel, ServedModel> labelled = new ConcurrentHashMap<>();

  /** @param runners the factory {@code delegate} opens its runners with */
  public EmulatedModelManager(ModelManager delegate, EmulatedRunnerFactory runners) {
    this.delegate = delegate;
    this.runners = runners;
    this.profile = runners.profile();
  }

  /**
   * A Triton-layout repository served on the emulated device: outputs from {@code realRunners}
   * (e.g. ONNX Runtime on CPU), paced and scheduled per {@link EmulatedRunnerFactory}, every model
   * loaded at start and labelled emulated.
   */
  public static EmulatedModelManager forRepository(Path repository, AcceleratorProfile profile,
      RunnerFactory realRunners, PacingClock clock) {
    return forRepository(repository, profile, realRunners, clock, RepositoryOptions.loadAllModels());
  }

  /** As {@link #forRepository(Path, AcceleratorProfile, RunnerFactory, PacingClock)}, loading as {@code options} say. */
  public static EmulatedModelManager forRepository(Path repository, AcceleratorProfile profile,
      RunnerFactory realRunners, PacingClock clock, RepositoryOptions options) {
    EmulatedRunnerFactory runners = new EmulatedRunnerFactory(realRunners, profile, clock);
    return new EmulatedModelManager(new RepositoryModelManager(repository, runners,
        runners.schedulerFactory(Schedulers.factory()), options), runners);
  }

  public AcceleratorProfile profile() {
    return profile;
  }

  /** The runner factory, with the execution and lagging counts of every model. */
  public EmulatedRunnerFactory runners() {
    return runners;
  }

  @Override
  public ServedModel resolve(String name, String version) {
    return label(delegate.resolve(name, version));
  }

  @Override
  public boolean isReady(String name, String version) {
    return delegate.isReady(name, version);
  }

  @Override
  public List<String> readyVersions(String name) {
    return delegate.readyVersions(name);
  }

  @Override
  public List<ServedModel> readyModels() {
    return delegate.readyModels().stream().map(this::label).toList();
  }

  @Override
  public List<ModelIndexEntry> index(boolean readyOnly) {
    return delegate.index(readyOnly);
  }

  @Override
  public void load(String name) {
    delegate.load(name);
    labelled.clear();
  }

  @Override
  public void unload(String name) {
    delegate.unload(name);
    labelled.clear();
  }

  @Override
  public void close() {
    delegate.close();
    labelled.clear();
  }

  private ServedModel label(ServedModel model) {
    return labelled.computeIfAbsent(model, served -> new Labelled(served, labelledSpec(served.spec())));
  }

  private ModelSpec labelledSpec(ModelSpec spec) {
    ModelConfig config = spec.config().toBuilder()
        .putParameters(EMULATED, parameter(profile.name()))
        .putParameters("emulated_accelerator", parameter(profile.accelerator()))
        .putParameters("emulated_source", parameter(profile.source()))
        .build();
    return new ModelSpec(spec.name(), spec.version(), spec.platform(), spec.maxBatchSize(), spec.inputs(),
        spec.outputs(), config);
  }

  private static ModelParameter parameter(String value) {
    return ModelParameter.newBuilder().setStringValue(value).build();
  }

  /** The wrapped model with the labelled spec. */
  private record Labelled(ServedModel model, ModelSpec spec) implements ServedModel {
    @Override
    public CompletableFuture<InferResponse> infer(InferRequest request) {
      return model.infer(request);
    }

    @Override
    public ModelStats stats() {
      return model.stats();
    }

    @Override
    public int queuedRows() {
      return model.queuedRows();
    }

    @Override
    public int queuedRequests() {
      return model.queuedRequests();
    }

    @Override
    public int inFlightRequests() {
      return model.inFlightRequests();
    }
  }
}
