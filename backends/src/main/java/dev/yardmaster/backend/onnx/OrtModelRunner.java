package dev.yardmaster.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.onnx.proto.GraphProto;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Runs one model version in an in-process ONNX Runtime session. Sessions share the process-wide
 * {@link OrtEnvironment}; {@link OrtSession#run} is thread safe, so one runner serves all of the
 * version's instances and the scheduler bounds how many executions run at once.
 *
 * <p>The CUDA execution provider is added when it runs here ({@link CudaProbe}) and the options
 * allow it; otherwise the session runs on the CPU. {@link #kind()} says which.
 *
 * <p>A run may give an initializer that is also a graph input (an overridable initializer, as
 * Triton's onnxruntime backend passes it to ONNX Runtime). ONNX Runtime's Java API takes only the
 * inputs without an initializer, so such a run goes to a session of the model without those
 * initializers, opened at the first run that gives them and kept until {@link #close()}.
 */
public final class OrtModelRunner implements ModelRunner {
  /** {@link #kind()} of a session on the CUDA execution provider. */
  public static final String CUDA_KIND = "onnxruntime-cuda";
  /** ONNX Runtime's session config key for where a model opened from bytes finds its external data. */
  private static final String EXTERNAL_DATA_FOLDER = "session.model_external_initializers_file_folder_path";
  private final String modelName;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String kind;
  private final Path modelFile;
  private final OrtRunnerOptions options;
  /** The inputs a run of {@link #session} takes: the graph inputs without an initializer. */
  private final Set<String> sessionInputs;
  /** Sessions of the model less the initializers named by the key, which their runs give. */
  private final Map<Set<String>, OrtSession> overridingSessions = new ConcurrentHashMap<>();
  private final List<String> allOutputs;
  /** Given to every run; null without run config entries, so runs take ORT's defaults. */
  private final OrtSession.@Nullable RunOptions runOptions;

  private OrtModelRunner(String modelName, OrtEnvironment env, OrtSession session, String kind, Path modelFile,
      OrtRunnerOptions options, OrtSession.@Nullable RunOptions runOptions) {
    this.modelName = modelName;
    this.env = env;
    this.session = session;
    this.kind = kind;
    this.modelFile = modelFile;
    this.options = options;
    this.sessionInputs = Set.copyOf(session.getInputNames());
    this.allOutputs = List.copyOf(session.getOutputNames());
    this.runOptions = runOptions;
  }

  /**
   * Opens a session on {@code modelFile}.
   *
   * @param modelName the name errors use, e.g. {@code "higgs_mlp_v1"} or {@code "higgs_mlp_v1/1"}
   * @throws InferenceException INTERNAL naming the model and file when ORT cannot load it
   */
  public static OrtModelRunner open(String modelName, Path modelFile, OrtRunnerOptions options) {
    if (!Files.isRegularFile(modelFile)) {
      throw InferenceException.internal(
          "model '%s' file: %s (expected: an existing ONNX model file)", modelName, modelFile);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(options)) {
      boolean cuda = options.preferCuda() && addCudaIfAvailable(sessionOptions);
      OrtSession session = env.createSession(modelFile.toString(), sessionOptions);
      try {
        return new OrtModelRunner(modelName, env, session, cuda ? CUDA_KIND : "onnxruntime-cpu", modelFile, options,
            runOptions(options));
      } catch (OrtException | RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (OrtException e) {
      throw new InferenceException(
          InferenceException.Status.INTERNAL,
          String.format(
              "model '%s' file %s: %s (expected: an ONNX model that ONNX Runtime loads)",
              modelName, modelFile, e.getMessage()),
          e);
    }
  }

  /** ORT's session options for {@code options}, without execution providers; the caller closes them. */
  static OrtSession.SessionOptions sessionOptions(OrtRunnerOptions options) throws OrtException {
    OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
    try {
      sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      sessionOptions.setInterOpNumThreads(options.interOpThreads());
      sessionOptions.setExecutionMode(options.parallelExecution()
          ? OrtSession.SessionOptions.ExecutionMode.PARALLEL : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      sessionOptions.setOptimizationLevel(options.optimizationLevel());
      if (options.memArena() != null) {
        sessionOptions.setCPUArenaAllocator(options.memArena());
      }
      if (options.memPattern() != null) {
        sessionOptions.setMemoryPatternOptimization(options.memPattern());
      }
      for (Map.Entry<String, String> entry : options.sessionConfig().entrySet()) {
        sessionOptions.addConfigEntry(entry.getKey(), entry.getValue());
      }
      return sessionOptions;
    } catch (OrtException | RuntimeException e) {
      sessionOptions.close();
      throw e;
    }
  }

  private static OrtSession.@Nullable RunOptions runOptions(OrtRunnerOptions options) throws OrtException {
    if (options.runConfig().isEmpty()) {
      return null;
    }
    OrtSession.RunOptions runOptions = new OrtSession.RunOptions();
    try {
      for (Map.Entry<String, String> entry : options.runConfig().entrySet()) {
        runOptions.addRunConfigEntry(entry.getKey(), entry.getValue());
      }
      return runOptions;
    } catch (OrtException | RuntimeException e) {
      runOptions.close();
      throw e;
    }
  }

  /** Whether CUDA was added: only where {@link CudaProbe} found it running. */
  private static boolean addCudaIfAvailable(OrtSession.SessionOptions sessionOptions) {
    if (!CudaProbe.result().available()) {
      return false;
    }
    try {
      sessionOptions.addCUDA();
      return true;
    } catch (OrtException e) {
      return false;
    }
  }

  /** The model's input names, in graph order. */
  public Set<String> inputNames() {
    return session.getInputNames();
  }

  /** The model's output names, in graph order. */
  public List<String> outputNames() {
    return allOutputs;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An empty {@code outputNames} asks for every output, in the model's order.
   */
  @Override
  public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    List<String> requested = outputNames.isEmpty() ? allOutputs : outputNames;
    Map<String, OnnxTensor> ortInputs = new HashMap<>(inputs.size() * 2);
    try {
      InputScratch scratch = InputScratch.forCurrentThread();
      int slot = 0;
      for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
        ortInputs.put(input.getKey(), OrtTensors.toOrt(env, input.getValue(), modelName, scratch, slot++));
      }
      Set<String> wanted = new LinkedHashSet<>(requested);
      OrtSession target = sessionInputs.containsAll(inputs.keySet()) ? session : overridingSession(inputs.keySet());
      try (OrtSession.Result result = runOptions == null ? target.run(ortInputs, wanted)
          : target.run(ortInputs, wanted, runOptions)) {
        List<Tensor> outputs = new ArrayList<>(requested.size());
        for (String name : requested) {
          Optional<OnnxValue> value = result.get(name);
          if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
            throw InferenceException.internal(
                "model '%s' output '%s': %s (expected: a tensor)",
                modelName, name, value.map(v -> v.getType().toString()).orElse("missing"));
          }
          outputs.add(OrtTensors.fromOrt(name, tensor, modelName));
        }
        return outputs;
      }
    } catch (OrtException e) {
      throw new InferenceException(
          InferenceException.Status.INTERNAL,
          String.format("model '%s' onnxruntime run: %s", modelName, e.getMessage()),
          e);
    } finally {
      for (OnnxTensor tensor : ortInputs.values()) {
        tensor.close();
      }
    }
  }

  /** The session whose runs take {@code given}, the initializers among them made plain graph inputs. */
  private OrtSession overridingSession(Set<String> given) throws OrtException {
    Set<String> initializers = new HashSet<>(given);
    initializers.removeAll(sessionInputs);
    OrtSession opened = overridingSessions.get(initializers);
    if (opened != null) {
      return opened;
    }
    synchronized (overridingSessions) { // one session per set, however many runs ask at once
      opened = overridingSessions.get(initializers);
      if (opened == null) {
        opened = openWithout(initializers);
        overridingSessions.put(Set.copyOf(initializers), opened);
      }
      return opened;
    }
  }

  /** A session of the model less {@code initializers}; external data is still read beside the model file. */
  private OrtSession openWithout(Set<String> initializers) throws OrtException {
    ModelProto model;
    try (InputStream in = Files.newInputStream(modelFile)) {
      model = ModelProto.parseFrom(in);
    } catch (IOException e) {
      throw InferenceException.internal("model '%s' file %s: %s (expected: a readable ONNX model)", modelName,
          modelFile, e.getMessage());
    }
    GraphProto.Builder graph = model.getGraph().toBuilder();
    for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
      if (initializers.contains(graph.getInitializer(i).getName())) {
        graph.removeInitializer(i);
      }
    }
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(options)) {
      sessionOptions.addConfigEntry(EXTERNAL_DATA_FOLDER, modelFile.toAbsolutePath().getParent().toString());
      if (kind.equals(CUDA_KIND)) {
        addCudaIfAvailable(sessionOptions);
      }
      return env.createSession(model.toBuilder().setGraph(graph).build().toByteArray(), sessionOptions);
    }
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public void close() {
    if (runOptions != null) {
      runOptions.close();
    }
    try {
      for (OrtSession overriding : overridingSessions.values()) {
        overriding.close();
      }
      session.close();
    } catch (OrtException e) {
      throw new InferenceException(
          InferenceException.Status.INTERNAL,
          String.format("model '%s' onnxruntime close: %s", modelName, e.getMessage()),
          e);
    }
  }
}
