package dev.yardmaster.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.yardmaster.profiler.pricing.InstancePrice;
import dev.yardmaster.profiler.pricing.PriceRequest;
import dev.yardmaster.profiler.pricing.PriceSource;
import dev.yardmaster.router.admission.AdmissionConfig;
import dev.yardmaster.router.admission.AuthConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Parses and validates the router config (phases: parse YAML -> read keys with defaults ->
 * validate), reporting every problem at once as {@code key: actual (expected: ...)}.
 *
 * <p>Reads {@code server}, {@code pools}, {@code tiers}, {@code default_tier}, {@code models} (profile
 * files relative to the config file, read and validated here) and {@code routing}; other top-level
 * sections belong to other components and are ignored. Unknown keys inside {@code server}, a pool
 * or the routing section are errors, since a misspelled {@code outlier_detection} or {@code grpc_port}
 * would otherwise silently fall back to defaults.
 */
public final class RouterConfigLoader {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> SERVER_KEYS =
      Set.of("grpc_port", "metrics_port", "default_timeout_ms", "max_message_mb", "http_port", "admin_port");
  private static final Set<String> POOL_KEYS = Set.of("name", "kind", "accelerator", "instance_type",
      "price_per_hour", "endpoints", "replicas", "channels_per_endpoint", "dns_refresh_ms", "health_check",
      "outlier_detection", "retry", "model_repository", "emulate", "cpu_share");

  private final Function<String, Optional<Double>> instancePrices;

  private RouterConfigLoader(Function<String, Optional<Double>> instancePrices) {
    this.instancePrices = instancePrices;
  }

  /** Prices {@code instance_type} from the bundled offline price table. */
  public static RouterConfigLoader withOfflinePrices() {
    PriceSource table = PriceSource.offlineTable();
    return new RouterConfigLoader(type ->
        table.lookup(PriceRequest.of("config", type)).price().map(InstancePrice::usdPerHour));
  }

  /** Prices {@code instance_type} with {@code instancePrices}; for tests. */
  public static RouterConfigLoader withPrices(Function<String, Optional<Double>> instancePrices) {
    return new RouterConfigLoader(instancePrices);
  }

  public RouterConfig load(Path file) throws ConfigException {
    Path base = file.toAbsolutePath().getParent();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("file: " + e + " (expected: a readable YAML file)"));
    }
    return parse(text, file.toString(), base == null ? Path.of(".") : base);
  }

  /** Parses {@code yaml}; profile paths are relative to the working directory. */
  public RouterConfig parse(String yaml, String where) throws ConfigException {
    return parse(yaml, where, Path.of("."));
  }

  /** Parses {@code yaml}; profile paths are relative to {@code baseDir} (the config file's folder). */
  public RouterConfig parse(String yaml, String where, Path baseDir) throws ConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(where, List.of("yaml: " + e.getOriginalMessage().replace('\n', ' ')
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + " (expected: valid YAML)"));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new ConfigException(where, List.of("root: " + (root == null ? "empty" : root.getNodeType())
          + " (expected: a mapping with a 'pools' list)"));
    }
    Fields server = new Fields(root.path("server"), "server", problems);
    rejectPortsNotServed(root.path("server"), problems);
    server.rejectUnknown(SERVER_KEYS);
    int grpcPort = server.integer("grpc_port", 8001, 0, 65535);
    int metricsPort = server.integer("metrics_port", 8002, 0, 65535);
    long defaultTimeout = server.longValue("default_timeout_ms", 30_000, 1, 3_600_000);
    int maxMessageMib = server.integer("max_message_mb", RouterConfig.DEFAULT_MAX_MESSAGE_MIB, 1,
        RouterConfig.MAX_MESSAGE_MIB);

    List<PoolConfig> pools = new ArrayList<>();
    JsonNode poolNodes = root.get("pools");
    if (poolNodes == null || !poolNodes.isArray() || poolNodes.isEmpty()) {
      problems.add("pools: " + describe(poolNodes) + " (expected: a list of at least one pool, e.g. "
          + "pools: [{name: gpu, kind: kserve, accelerator: gpu, price_per_hour: 1.0, endpoints: [\"host:8001\"]}])");
    } else {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < poolNodes.size(); i++) {
        PoolConfig pool = pool(poolNodes.get(i), "pools[" + i + "]", baseDir, problems);
        if (pool != null && !names.add(pool.name())) {
          problems.add("pools[" + i + "].name: '" + pool.name() + "' (expected: unique; it names another pool)");
        }
        if (pool != null) {
          pools.add(pool);
        }
      }
    }
    AdmissionConfig admission = RoutingSections.admission(root, problems);
    List<ModelRouting> models = RoutingSections.models(root.get("models"), baseDir, problems);
    RoutingSettings routing = RoutingSections.routing(root.get("routing"), problems);
    AuthConfig auth = AuthSection.parse(root.get("auth"), baseDir, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(where, problems);
    }
    return new RouterConfig(grpcPort, metricsPort, defaultTimeout, maxMessageMib, pools, admission, models, routing,
        auth);
  }

  private @Nullable PoolConfig pool(JsonNode node, String at, Path baseDir, List<String> problems) {
    if (!node.isObject()) {
      problems.add(at + ": " + describe(node) + " (expected: a mapping with name, kind, accelerator, endpoints)");
      return null;
    }
    int before = problems.size();
    Fields f = new Fields(node, at, problems);
    f.rejectUnknown(POOL_KEYS);
    String name = f.string("name", null);
    String label = name == null ? at : at + " (pool '" + name + "')";
    PoolServing serving = PoolServing.read(node, at, baseDir, problems);
    AcceleratorKind accelerator = null;
    String acceleratorText = f.string("accelerator", serving == null ? null : serving.defaultAccelerator());
    if (acceleratorText != null) {
      try {
        accelerator = AcceleratorKind.valueOf(acceleratorText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(at + ".accelerator: " + acceleratorText + " (expected: gpu, inferentia or cpu)");
      }
    } else if (serving != null) {
      problems.add(at + ".accelerator: missing (expected: gpu, inferentia or cpu)");
    }
    String instanceType = f.string("instance_type", "");
    double price = f.decimal("price_per_hour", Double.NaN, 0, 10_000);
    if (Double.isNaN(price)) {
      if (instanceType == null || instanceType.isEmpty()) {
        problems.add(at + ".price_per_hour: missing (expected: a price in dollars per hour, or an instance_type)");
      } else {
        Optional<Double> found = instancePrices.apply(instanceType);
        if (found.isEmpty()) {
          problems.add(at + ".instance_type: " + instanceType
              + " has no known price (expected: a type in the price table, or set price_per_hour)");
        } else {
          price = found.get();
        }
      }
    }
    List<String> endpoints = serving == null ? List.of() : serving.endpoints();
    Fields replicas = new Fields(node.path("replicas"), at + ".replicas", problems);
    replicas.rejectUnknown(Set.of("min", "max"));
    int min = replicas.integer("min", 1, 0, 10_000);
    int max = replicas.integer("max", Math.max(min, endpoints.size()), 0, 10_000);
    if (max < min) {
      problems.add(at + ".replicas.max: " + max + " (expected: >= replicas.min " + min + ")");
    }
    int channels = f.integer("channels_per_endpoint", 2, 1, 64);
    long dnsRefresh = f.longValue("dns_refresh_ms", 5000, 100, 3_600_000);

    Fields hc = new Fields(node.path("health_check"), at + ".health_check", problems);
    hc.rejectUnknown(Set.of("interval_ms", "timeout_ms", "healthy_threshold", "unhealthy_threshold", "models"));
    HealthCheckConfig health = new HealthCheckConfig(
        hc.longValue("interval_ms", 1000, 10, 3_600_000),
        hc.longValue("timeout_ms", 1000, 1, 600_000),
        hc.integer("healthy_threshold", 1, 1, 100),
        hc.integer("unhealthy_threshold", 3, 1, 100),
        hc.strings("models"));

    Fields od = new Fields(node.path("outlier_detection"), at + ".outlier_detection", problems);
    od.rejectUnknown(Set.of("consecutive_failures", "base_ejection_time_ms", "max_ejection_time_ms",
        "max_ejection_percent", "enforcing", "interval_ms", "success_rate"));
    Fields sr = new Fields(node.path("outlier_detection").path("success_rate"), at + ".outlier_detection.success_rate",
        problems);
    sr.rejectUnknown(Set.of("enabled", "minimum_hosts", "request_volume", "stdev_factor"));
    OutlierDetectionConfig.SuccessRate successRate = new OutlierDetectionConfig.SuccessRate(
        sr.bool("enabled", true),
        sr.integer("minimum_hosts", 5, 1, 10_000),
        sr.longValue("request_volume", 100, 1, 1_000_000_000),
        sr.decimal("stdev_factor", 1.9, 0.01, 100));
    OutlierDetectionConfig outlier = new OutlierDetectionConfig(
        od.integer("consecutive_failures", 5, 1, 10_000),
        od.longValue("base_ejection_time_ms", 30_000, 1, 86_400_000),
        od.longValue("max_ejection_time_ms", 300_000, 1, 86_400_000),
        od.integer("max_ejection_percent", 50, 0, 100),
        od.bool("enforcing", true),
        od.longValue("interval_ms", 10_000, 10, 3_600_000),
        successRate);

    Fields rt = new Fields(node.path("retry"), at + ".retry", problems);
    rt.rejectUnknown(Set.of("max_retries", "per_try_timeout_ms", "budget_percent", "min_retry_concurrency"));
    RetryConfig retry = new RetryConfig(
        rt.integer("max_retries", 2, 0, 10),
        rt.longValue("per_try_timeout_ms", 2000, 1, 3_600_000),
        rt.decimal("budget_percent", 20.0, 0, 100),
        rt.integer("min_retry_concurrency", 3, 0, 10_000));

    if (problems.size() > before || name == null || accelerator == null || serving == null) {
      if (name == null && problems.size() == before) {
        problems.add(label + ".name: missing (expected: a pool name)");
      }
      return null;
    }
    return new PoolConfig(name, accelerator, price, instanceType.isEmpty() ? null : instanceType, endpoints,
        min, max, channels, dnsRefresh, health, outlier, retry, serving.kind(), serving.modelRepository(),
        serving.emulated(), serving.cpuShare());
  }

  static String describe(@Nullable JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    if (node.isContainerNode()) {
      return node.getNodeType().toString().toLowerCase(Locale.ROOT) + (node.isEmpty() ? " (empty)" : "");
    }
    return node.asText();
  }

  /**
   * DESIGN.md's {@code http_port} and {@code admin_port}: the router has neither yet, so a config that
   * sets them is refused rather than started without the port it asks for.
   */
  private static void rejectPortsNotServed(JsonNode server, List<String> problems) {
    if (server.has("http_port")) {
      problems.add("server.http_port: the router has no HTTP port (expected: none; the router takes KServe v2 over "
          + "gRPC on grpc_port, and serves KServe v2 HTTP/JSON only as a backend: serve --model-repository)");
    }
    if (server.has("admin_port")) {
      problems.add("server.admin_port: the router has no admin port (expected: none; admin calls such as "
          + "RepositoryModelLoad go to grpc_port with an admin token, metrics are on metrics_port)");
    }
  }

  /** Reads typed keys of one mapping, adding a problem for each bad value and using defaults for missing ones. */
  private static final class Fields {
    private final JsonNode node;
    private final String at;
    private final List<String> problems;

    Fields(JsonNode node, String at, List<String> problems) {
      this.node = node;
      this.at = at;
      this.problems = problems;
      if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
        problems.add(at + ": " + describe(node) + " (expected: a mapping)");
      }
    }

    void rejectUnknown(Set<String> known) {
      if (!node.isObject()) {
        return;
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!known.contains(key)) {
          problems.add(at + "." + key + ": unknown key (expected: one of " + known.stream().sorted().toList() + ")");
        }
      }
    }

    private @Nullable JsonNode value(String key) {
      JsonNode value = node.isObject() ? node.get(key) : null;
      return value == null || value.isNull() ? null : value;
    }

    @Nullable String string(String key, @Nullable String fallback) {
      JsonNode value = value(key);
      if (value == null) {
        return fallback;
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        problems.add(at + "." + key + ": " + describe(value) + " (expected: a non-empty string)");
        return fallback;
      }
      return value.asText();
    }

    long longValue(String key, long fallback, long min, long max) {
      JsonNode value = value(key);
      if (value == null) {
        return fallback;
      }
      if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
        problems.add(at + "." + key + ": " + describe(value) + " (expected: an integer >= " + min + " and <= " + max + ")");
        return fallback;
      }
      return value.asLong();
    }

    int integer(String key, int fallback, int min, int max) {
      return (int) longValue(key, fallback, min, max);
    }

    double decimal(String key, double fallback, double min, double max) {
      JsonNode value = value(key);
      if (value == null) {
        return fallback;
      }
      if (!value.isNumber() || !(value.asDouble() >= min && value.asDouble() <= max)) {
        problems.add(at + "." + key + ": " + describe(value) + " (expected: a number >= " + min + " and <= " + max + ")");
        return fallback;
      }
      return value.asDouble();
    }

    boolean bool(String key, boolean fallback) {
      JsonNode value = value(key);
      if (value == null) {
        return fallback;
      }
      if (!value.isBoolean()) {
        problems.add(at + "." + key + ": " + describe(value) + " (expected: true or false)");
        return fallback;
      }
      return value.asBoolean();
    }

    List<String> strings(String key) {
      JsonNode value = value(key);
      if (value == null) {
        return List.of();
      }
      if (!value.isArray()) {
        problems.add(at + "." + key + ": " + describe(value) + " (expected: a list of names)");
        return List.of();
      }
      List<String> out = new ArrayList<>();
      value.forEach(v -> out.add(v.asText()));
      return out;
    }
  }
}
