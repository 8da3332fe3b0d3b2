package dev.yardmaster.router.emulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.AcceleratorProfile.LatencyPoint;
import dev.yardmaster.backend.emulated.AcceleratorProfiles;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves what {@code --emulate} names into an {@link AcceleratorProfile}:
 *
 * <ul>
 *   <li>a built-in name ({@code gpu-a10g}, {@code inf2});
 *   <li>a small JSON or YAML file: {@code {name, accelerator, max_concurrent_executions, source,
 *       latency: [{batch, latency_us}, ...]}};
 *   <li>a yardmaster profile file ({@code yardmaster profile} output, recognized by its
 *       {@code schema_version}), optionally {@code FILE#pool} to pick an entry; without a pool, the
 *       first non-CPU entry. See {@link #fromProfileEntry}.
 * </ul>
 */
public final class AcceleratorProfileSources {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private AcceleratorProfileSources() {}

  /** @throws IllegalArgumentException naming the source and what was expected */
  public static AcceleratorProfile resolve(String nameOrFile) {
    AcceleratorProfile builtIn = AcceleratorProfiles.builtIn(nameOrFile);
    if (builtIn != null) {
      return builtIn;
    }
    int hash = nameOrFile.lastIndexOf('#');
    Path file = Path.of(hash < 0 ? nameOrFile : nameOrFile.substring(0, hash));
    String pool = hash < 0 ? "" : nameOrFile.substring(hash + 1);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--emulate: '" + nameOrFile + "' (expected: a built-in profile "
          + AcceleratorProfiles.builtIns().keySet() + " or a readable profile file)");
    }
    try {
      String text = Files.readString(file);
      String name = file.getFileName().toString();
      JsonNode tree = (name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON).readTree(text);
      if (tree != null && tree.has("schema_version")) {
        return fromProfile(ProfileFiles.parse(text, name), pool, file.toString());
      }
      return fromTree(tree, name);
    } catch (IOException e) {
      throw new IllegalArgumentException("--emulate " + file + ": " + e.getMessage()
          + " (expected: a JSON or YAML accelerator profile)", e);
    }
  }

  private static AcceleratorProfile fromTree(JsonNode tree, String file) {
    String where = "accelerator profile " + file + ": ";
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException(where + tree + " (expected: an object)");
    }
    JsonNode latency = tree.path("latency");
    if (!latency.isArray()) {
      throw new IllegalArgumentException(where + "latency: " + latency + " (expected: [{batch, latency_us}, ...])");
    }
    try {
      List<LatencyPoint> points = new ArrayList<>();
      for (JsonNode point : latency) {
        points.add(new LatencyPoint(point.path("batch").asInt(0), point.path("latency_us").asLong(-1)));
      }
      return new AcceleratorProfile(tree.path("name").asText(""), tree.path("accelerator").asText(""), points,
          tree.path("max_concurrent_executions").asInt(1), tree.path("source").asText("file " + file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static AcceleratorProfile fromProfile(Profile profile, String pool, String file) {
    for (ProfileEntry entry : profile.entries()) {
      if (pool.isEmpty() ? !entry.accelerator().equals("cpu") : entry.pool().equals(pool)) {
        return fromProfileEntry(entry, "profile " + file + " model " + profile.model() + " pool " + entry.pool());
      }
    }
    throw new IllegalArgumentException("--emulate " + file + (pool.isEmpty() ? "" : "#" + pool) + ": pool '" + pool
        + "' (expected: one of " + profile.entries().stream().map(ProfileEntry::pool).toList()
        + (pool.isEmpty() ? ", a non-cpu entry" : "") + ")");
  }

  /**
   * A measured profile entry as an emulated device: at each measured batch, the lowest p50 (the
   * unloaded execution latency); as many concurrent executions as the concurrency of the grid
   * point with the highest throughput (where the measured device saturated).
   */
  public static AcceleratorProfile fromProfileEntry(ProfileEntry entry, String source) {
    if (entry.grid().isEmpty()) {
      throw new IllegalArgumentException(source + ": grid: [] (expected: at least one measured point)");
    }
    Map<Integer, Double> lowestP50Ms = new TreeMap<>();
    GridPoint busiest = entry.grid().get(0);
    for (GridPoint point : entry.grid()) {
      lowestP50Ms.merge(point.batch(), point.p50Ms(), Math::min);
      if (point.throughput() > busiest.throughput()) {
        busiest = point;
      }
    }
    List<LatencyPoint> points = new ArrayList<>();
    lowestP50Ms.forEach((batch, ms) -> points.add(new LatencyPoint(batch, Math.round(ms * 1_000))));
    return new AcceleratorProfile(entry.pool(), entry.accelerator(), points, Math.max(1, busiest.concurrency()),
        source);
  }
}
