package dev.yardmaster.backend.emulated;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Built-in accelerator profiles for the demo MLPs (28 -> 64 -> 32 -> 1 and 28 -> 128 -> 128 -> 64
 * -> 1). They are assumptions, not measurements: models this small are dominated on a device by a
 * fixed per-execution cost (request handling, host-to-device copy, kernel launches; about 1-2 ms
 * end to end as Triton reports for small models) with a small per-row cost. Replace them with a
 * measured profile ({@code --emulate FILE}) when one exists.
 */
public final class AcceleratorProfiles {

  /**
   * NVIDIA A10G (g5.xlarge) behind Triton: ~1.1 ms launch and copy overhead, ~5 µs per row up to
   * batch 64, ~4 µs per row beyond; two instances (Triton's usual instance_group count 2 on one GPU).
   */
  public static final AcceleratorProfile GPU_A10G = AcceleratorProfile.of("gpu-a10g", "gpu", 2,
      "assumption: ~1.1 ms fixed launch/copy overhead + ~5 us/row for the demo MLPs on an A10G (g5.xlarge)",
      1, 1_100, 64, 1_400, 256, 2_200, 1024, 5_000);

  /**
   * AWS Inferentia2 (inf2.xlarge, 2 NeuronCores) behind Triton's Neuron backend: ~1.6 ms fixed
   * overhead, ~8 µs per row; two concurrent executions (one per NeuronCore).
   */
  public static final AcceleratorProfile INFERENTIA2 = AcceleratorProfile.of("inf2", "inferentia", 2,
      "assumption: ~1.6 ms fixed overhead + ~8 us/row for the demo MLPs on inf2.xlarge (2 NeuronCores)",
      1, 1_600, 64, 2_100, 256, 3_600, 1024, 9_800);

  private static final Map<String, AcceleratorProfile> BUILT_IN = byName(List.of(GPU_A10G, INFERENTIA2));

  private AcceleratorProfiles() {}

  /** The built-in profiles by name. */
  public static Map<String, AcceleratorProfile> builtIns() {
    return BUILT_IN;
  }

  /** The built-in profile of that name, or null. */
  public static @Nullable AcceleratorProfile builtIn(String name) {
    return BUILT_IN.get(name);
  }

  private static Map<String, AcceleratorProfile> byName(List<AcceleratorProfile> profiles) {
    Map<String, AcceleratorProfile> map = new TreeMap<>();
    profiles.forEach(profile -> map.put(profile.name(), profile));
    return java.util.Collections.unmodifiableMap(map);
  }
}
