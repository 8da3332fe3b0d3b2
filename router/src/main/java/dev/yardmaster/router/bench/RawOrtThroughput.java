package dev.yardmaster.router.bench;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.MlpSpec;
import dev.yardmaster.backend.onnx.OrtModelRunner;
import dev.yardmaster.backend.onnx.OrtRunnerOptions;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Raw in-process ONNX Runtime throughput: {@link OrtModelRunner#run} in a tight loop on one
 * thread with pre-built inputs, the same session options as served. This is the ceiling the
 * served throughput is compared with.
 */
public final class RawOrtThroughput {

  private RawOrtThroughput() {}

  /**
   * Measures one model file at one batch size: unrecorded runs for {@code warmUp}, then runs for
   * {@code measure} (at least one).
   */
  public static RawPoint measure(String model, Path modelFile, OrtRunnerOptions options, int batch,
      Duration warmUp, Duration measure) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch: " + batch + " (expected: >= 1)");
    }
    MlpSpec spec = DemoModels.mlp(model);
    Map<String, Tensor> inputs = Map.of(spec.inputName(), input(spec, batch));
    List<String> outputs = List.of();
    try (OrtModelRunner runner = OrtModelRunner.open(model, modelFile, options)) {
      long warmUpEnd = System.nanoTime() + warmUp.toNanos();
      while (System.nanoTime() < warmUpEnd) {
        runner.run(inputs, outputs);
      }
      long start = System.nanoTime();
      long end = start + measure.toNanos();
      long runs = 0;
      long now;
      do {
        runner.run(inputs, outputs);
        runs++;
        now = System.nanoTime();
      } while (now < end);
      double seconds = (now - start) / 1e9;
      return new RawPoint(model, batch, runs, seconds, runs * (double) batch / seconds,
          seconds * 1e3 / runs);
    }
  }

  private static Tensor input(MlpSpec spec, int batch) {
    SplittableRandom random = new SplittableRandom(7L);
    float[] values = new float[batch * spec.inputWidth()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2.0 - 1.0);
    }
    return Tensor.ofFloats(spec.inputName(), new long[] {batch, spec.inputWidth()}, values);
  }
}
