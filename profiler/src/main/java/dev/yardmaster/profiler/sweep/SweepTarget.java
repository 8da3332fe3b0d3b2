package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.load.Target;
import org.jspecify.annotations.Nullable;

/**
 * One backend to measure a model on, with the labels its profile entry carries.
 *
 * @param endpoint the KServe v2 gRPC endpoint
 * @param modelVersion version to measure; empty for the server's default (the latest)
 * @param backend {@code onnxruntime}, {@code kserve} or {@code emulated}
 * @param pool pool name from the router config
 * @param instanceType e.g. {@code c7g.xlarge}; its price is resolved unless {@code pricePerHour} is given
 * @param accelerator {@code cpu}, {@code gpu} or {@code inferentia}
 * @param pricePerHour dollars per hour; null to resolve from {@code instanceType}
 */
public record SweepTarget(
    Target endpoint,
    String modelVersion,
    String backend,
    String pool,
    String instanceType,
    String accelerator,
    @Nullable Double pricePerHour) {

  /** Validates the labels. */
  public SweepTarget {
    if (pool.isBlank()) {
      throw new IllegalArgumentException("pool: '" + pool + "' (expected: a pool name)");
    }
    if (instanceType.isBlank()) {
      throw new IllegalArgumentException("instanceType: '" + instanceType + "' (expected: e.g. c7g.xlarge)");
    }
    if (pricePerHour != null && !(pricePerHour >= 0 && Double.isFinite(pricePerHour))) {
      throw new IllegalArgumentException("pricePerHour: " + pricePerHour + " (expected: finite and >= 0)");
    }
  }
}
