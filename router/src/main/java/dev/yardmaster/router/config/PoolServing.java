package dev.yardmaster.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.backend.cpushare.CpuShare;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.AcceleratorProfiles;
import dev.yardmaster.router.emulated.AcceleratorProfileSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one {@code pools:} entry is served, read from its {@code kind}, {@code endpoints},
 * {@code model_repository}, {@code emulate} and {@code cpu_share} keys: remote endpoints for
 * {@code kserve}; a model repository (relative to the config file) for {@code onnxruntime}, with
 * each instance optionally held to a share of a core; a repository and an accelerator profile for
 * {@code emulated}. Keys that do not belong to the kind are problems, not ignored.
 *
 * @param kind the pool kind
 * @param endpoints {@code host:port} entries (kserve only; empty for in-process kinds)
 * @param modelRepository the absolute repository directory (in-process kinds only)
 * @param emulated the resolved profile (emulated only)
 * @param cpuShare the share of a core each instance computes on (onnxruntime only; else the whole core)
 */
record PoolServing(PoolKind kind, List<String> endpoints, @Nullable Path modelRepository,
    @Nullable AcceleratorProfile emulated, CpuShare cpuShare) {

  /** The accelerator a pool of this kind has when {@code accelerator} is not given; null: it must be. */
  @Nullable String defaultAccelerator() {
    return switch (kind) {
      case KSERVE -> null;
      case ONNXRUNTIME -> "cpu";
      case EMULATED -> emulated == null ? null : emulated.accelerator();
    };
  }

  /** Reads the serving keys of the pool at {@code at}; null when they have problems (added to {@code problems}). */
  static @Nullable PoolServing read(JsonNode node, String at, Path baseDir, List<String> problems) {
    int before = problems.size();
    JsonNode kindNode = node.get("kind");
    PoolKind kind = PoolKind.KSERVE;
    if (kindNode != null && !kindNode.isNull()) {
      PoolKind parsed = kindNode.isTextual() ? PoolKind.parse(kindNode.asText()) : null;
      if (parsed == null) {
        problems.add(at + ".kind: " + RouterConfigLoader.describe(kindNode) + " (expected: one of "
            + PoolKind.configNames() + ")");
      } else {
        kind = parsed; // an unknown kind is checked as kserve, so its other problems are reported too
      }
    }
    List<String> endpoints = List.of();
    Path repository = null;
    AcceleratorProfile emulated = null;
    CpuShare cpuShare = CpuShare.WHOLE_CORE;
    if (node.hasNonNull("cpu_share")) {
      if (kind == PoolKind.ONNXRUNTIME) {
        cpuShare = cpuShare(node.get("cpu_share"), at, problems);
      } else {
        problems.add(at + ".cpu_share: " + RouterConfigLoader.describe(node.get("cpu_share"))
            + " (expected: only with kind onnxruntime; kind is " + kind.configName() + ")");
      }
    }
    if (kind == PoolKind.KSERVE) {
      endpoints = endpoints(node.get("endpoints"), at, problems);
      for (String key : List.of("model_repository", "emulate")) {
        if (node.hasNonNull(key)) {
          problems.add(at + "." + key + ": " + RouterConfigLoader.describe(node.get(key))
              + " (expected: only with kind onnxruntime or emulated; kind is kserve)");
        }
      }
    } else {
      if (node.hasNonNull("endpoints")) {
        problems.add(at + ".endpoints: " + RouterConfigLoader.describe(node.get("endpoints")) + " (expected: none for kind "
            + kind.configName() + "; the router serves this pool itself on a loopback port)");
      }
      repository = repository(node.get("model_repository"), at, kind, baseDir, problems);
      if (kind == PoolKind.EMULATED) {
        emulated = profile(node.get("emulate"), at, baseDir, problems);
      } else if (node.hasNonNull("emulate")) {
        problems.add(at + ".emulate: " + RouterConfigLoader.describe(node.get("emulate"))
            + " (expected: only with kind emulated; kind is " + kind.configName() + ")");
      }
    }
    return problems.size() > before ? null : new PoolServing(kind, endpoints, repository, emulated, cpuShare);
  }

  private static CpuShare cpuShare(JsonNode value, String at, List<String> problems) {
    if (value.isNumber() && value.asDouble() > 0 && value.asDouble() <= 1) {
      return new CpuShare(value.asDouble());
    }
    problems.add(at + ".cpu_share: " + RouterConfigLoader.describe(value)
        + " (expected: a number > 0 and <= 1, the share of one core each instance computes on)");
    return CpuShare.WHOLE_CORE;
  }

  private static List<String> endpoints(@Nullable JsonNode nodes, String at, List<String> problems) {
    if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
      problems.add(at + ".endpoints: " + RouterConfigLoader.describe(nodes)
          + " (expected: a list of host:port, e.g. [\"triton:8001\"])");
      return List.of();
    }
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String endpoint = nodes.get(i).asText();
      String problem = HostPort.problem(endpoint);
      if (problem != null) {
        problems.add(at + ".endpoints[" + i + "]: '" + endpoint + "' (expected: " + problem + ")");
      } else {
        endpoints.add(endpoint);
      }
    }
    return endpoints;
  }

  private static @Nullable Path repository(@Nullable JsonNode value, String at, PoolKind kind, Path baseDir,
      List<String> problems) {
    if (value == null || value.isNull() || !value.isTextual() || value.asText().isBlank()) {
      problems.add(at + ".model_repository: " + RouterConfigLoader.describe(value) + " (expected: a Triton-layout model"
          + " repository directory for kind " + kind.configName() + ", relative to the config file)");
      return null;
    }
    Path resolved = baseDir.resolve(value.asText()).toAbsolutePath().normalize();
    if (!Files.isDirectory(resolved)) {
      problems.add(at + ".model_repository: " + value.asText() + " (" + resolved + ") does not exist"
          + " (expected: a directory DIR/<model>/config.pbtxt, DIR/<model>/<version>/model.onnx)");
      return null;
    }
    return resolved;
  }

  private static @Nullable AcceleratorProfile profile(@Nullable JsonNode value, String at, Path baseDir,
      List<String> problems) {
    String expected = "a built-in profile " + AcceleratorProfiles.builtIns().keySet()
        + " or a profile file (JSON/YAML, or a yardmaster profile FILE[#pool]) relative to the config file";
    if (value == null || value.isNull() || !value.isTextual() || value.asText().isBlank()) {
      problems.add(at + ".emulate: " + RouterConfigLoader.describe(value) + " (expected: " + expected + ")");
      return null;
    }
    String text = value.asText();
    AcceleratorProfile builtIn = AcceleratorProfiles.builtIn(text);
    if (builtIn != null) {
      return builtIn;
    }
    int hash = text.lastIndexOf('#');
    Path file = baseDir.resolve(hash < 0 ? text : text.substring(0, hash)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      problems.add(at + ".emulate: " + text + " (" + file + " is not a file; expected: " + expected + ")");
      return null;
    }
    try {
      return AcceleratorProfileSources.resolve(hash < 0 ? file.toString() : file + text.substring(hash));
    } catch (IllegalArgumentException e) {
      problems.add(at + ".emulate: " + text + ": " + e.getMessage());
      return null;
    }
  }
}
