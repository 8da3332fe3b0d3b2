package dev.yardmaster.router.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How a pool is served: remote endpoints, or in the router's own process. */
public enum PoolKind {
  /** Remote KServe v2 gRPC endpoints (Triton, Triton/Neuron, any v2 server). */
  KSERVE,
  /** ONNX Runtime on this host's CPU over a model repository, served in the router's process. */
  ONNXRUNTIME,
  /** An accelerator emulated from a profile (ONNX Runtime computes, the profile paces), in process. */
  EMULATED;

  /** The name {@code kind:} uses, e.g. {@code onnxruntime}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the router starts this pool's backend itself. */
  public boolean inProcess() {
    return this != KSERVE;
  }

  /** The kind named {@code text}, or null. */
  public static @Nullable PoolKind parse(String text) {
    for (PoolKind kind : values()) {
      if (kind.configName().equals(text.toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    return null;
  }

  /** Every {@link #configName()}. */
  public static List<String> configNames() {
    return Arrays.stream(values()).map(PoolKind::configName).toList();
  }
}
