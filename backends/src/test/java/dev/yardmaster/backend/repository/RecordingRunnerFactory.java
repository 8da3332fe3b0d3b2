package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Opens real runners through another factory and records every execution they run (model,
 * version and inputs); can make executions fail, for the warmup tests.
 */
final class RecordingRunnerFactory implements RunnerFactory {

  /** One execution: the model and version that ran it and its inputs. */
  record Execution(String model, String version, Map<String, Tensor> inputs) {
    long[] shape(String input) {
      return inputs.get(input).shape();
    }
  }

  final List<Execution> executions = new CopyOnWriteArrayList<>();
  /** A model whose executions throw, "" for none. */
  volatile String failingModel = "";
  private final RunnerFactory delegate;

  RecordingRunnerFactory(RunnerFactory delegate) {
    this.delegate = delegate;
  }

  /** The executions of {@code model} so far. */
  List<Execution> of(String model) {
    return executions.stream().filter(execution -> execution.model().equals(model)).toList();
  }

  @Override
  public ModelRunner open(ModelSpec spec, Path modelFile) {
    ModelRunner runner = delegate.open(spec, modelFile);
    return new ModelRunner() {
      @Override
      public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        executions.add(new Execution(spec.name(), spec.version(), Map.copyOf(inputs)));
        if (spec.name().equals(failingModel)) {
          throw InferenceException.internal("%s: execution refused by the test", spec.name());
        }
        return runner.run(inputs, outputNames);
      }

      @Override
      public String kind() {
        return runner.kind();
      }

      @Override
      public void close() {
        runner.close();
      }
    };
  }

  @Override
  public boolean gpuAvailable() {
    return delegate.gpuAvailable();
  }

  @Override
  public String noGpuReason() {
    return delegate.noGpuReason();
  }
}
