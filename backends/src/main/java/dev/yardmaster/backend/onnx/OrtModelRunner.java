package dev.yardmaster.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs one model version in an in-process ONNX Runtime session. Sessions share the process-wide
 * {@link OrtEnvironment}; {@link OrtSession#run} is thread safe, so one runner serves all of the
 * version's instances and the scheduler bounds how many executions run at once.
 *
 * <p>The CUDA execution provider is added when it runs here ({@link CudaProbe}) and the options
 * allow it; otherwise the session runs on the CPU. {@link #kind()} says which.
 */
public final class OrtModelRunner implements ModelRunner {
  /** {@link #kind()} of a session on the CUDA execution provider. */
  public static final String CUDA_KIND = "onnxruntime-cuda";
  private final String modelName;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String kind;
  private final List<String> allOutputs;
  /** Given to every run; null without run config entries, so runs take ORT's defaults. */
  private final OrtSession.@Nullable RunOptions runOptions;

  private OrtModelRunner(String modelName, OrtEnvironment env, OrtSession session, String kind,
      OrtSession.@Nullable RunOptions runOptions) {
    this.modelName = modelName;
    this.env = env;
    this.session = session;
    this.kind = kind;
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
        return new OrtModelRunner(
            modelName, env, session, cuda ? CUDA_KIND : "onnxruntime-cpu", runOptions(options));
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
      try (OrtSession.Result result = runOptions == null ? session.run(ortInputs, wanted)
          : session.run(ortInputs, wanted, runOptions)) {
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
      session.close();
    } catch (OrtException e) {
      throw new InferenceException(
          InferenceException.Status.INTERNAL,
          String.format("model '%s' onnxruntime close: %s", modelName, e.getMessage()),
          e);
    }
  }
}
