package dev.yardmaster.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.profiler.profile.InvalidProfileException;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.router.admission.AdmissionConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.RoutingConfig;
import dev.yardmaster.router.policy.Tier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the routing sections of the router config: {@code tiers}, {@code default_tier},
 * {@code models} and {@code routing}. Each problem is added as {@code key: actual (expected: ...)};
 * a section with problems falls back to its defaults so the other sections are still checked.
 */
final class RoutingSections {

  private static final Set<String> TIER_KEYS = Set.of("p99_ms", "priority");
  private static final Set<String> MODEL_KEYS = Set.of("name", "profile");
  private static final Set<String> ROUTING_KEYS = Set.of("policy", "safety_margin", "fallback", "max_queue_delay_ms");

  private RoutingSections() {}

  static AdmissionConfig admission(JsonNode root, List<String> problems) {
    JsonNode tiersNode = root.get("tiers");
    List<Tier> tiers = Tier.DEFAULTS;
    if (tiersNode != null && !tiersNode.isNull()) {
      tiers = tiers(tiersNode, problems);
    }
    JsonNode defaultNode = root.get("default_tier");
    String defaultName = defaultNode == null || defaultNode.isNull() ? null : defaultNode.asText();
    if (defaultName == null) {
      // bronze, as DESIGN.md says; without a bronze tier, the last listed (the least demanding)
      boolean hasBronze = tiers.stream().anyMatch(t -> t.name().equals("bronze"));
      defaultName = hasBronze ? "bronze" : tiers.get(tiers.size() - 1).name();
    }
    for (Tier tier : tiers) {
      if (tier.name().equals(defaultName.toLowerCase(Locale.ROOT))) {
        try {
          return new AdmissionConfig(tiers, tier);
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
          return AdmissionConfig.defaults();
        }
      }
    }
    problems.add("default_tier: " + defaultName + " (expected: one of " + names(tiers) + ")");
    return AdmissionConfig.defaults();
  }

  private static List<Tier> tiers(JsonNode node, List<String> problems) {
    if (!node.isObject() || node.isEmpty()) {
      problems.add("tiers: " + RouterConfigLoader.describe(node)
          + " (expected: a mapping of tier name to {p99_ms, priority}, e.g. tiers: {gold: {p99_ms: 50, priority: 1}})");
      return Tier.DEFAULTS;
    }
    int before = problems.size();
    List<Tier> tiers = new ArrayList<>();
    int index = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); index++) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      String at = "tiers." + name;
      JsonNode tier = entry.getValue();
      if (!name.equals(name.toLowerCase(Locale.ROOT).strip()) || name.isEmpty()) {
        problems.add(at + ": tier name '" + name + "' (expected: lower case, no spaces)");
        continue;
      }
      if (tier == null || tier.isNull()) {
        tier = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      }
      if (!tier.isObject()) {
        problems.add(at + ": " + RouterConfigLoader.describe(tier) + " (expected: a mapping {p99_ms, priority})");
        continue;
      }
      rejectUnknown(tier, at, TIER_KEYS, problems);
      long budgetNanos = Tier.BEST_EFFORT;
      JsonNode p99 = tier.get("p99_ms");
      if (p99 != null && !p99.isNull()) {
        if (!p99.isNumber() || !(p99.asDouble() > 0) || p99.asDouble() > 3_600_000) {
          problems.add(at + ".p99_ms: " + RouterConfigLoader.describe(p99)
              + " (expected: a number of milliseconds > 0 and <= 3600000, or no p99_ms for best effort)");
          continue;
        }
        budgetNanos = Math.round(p99.asDouble() * 1_000_000);
      }
      JsonNode priorityNode = tier.get("priority");
      int priority = index + 1;
      if (priorityNode != null && !priorityNode.isNull()) {
        if (!priorityNode.isIntegralNumber() || priorityNode.asInt() < 1) {
          problems.add(at + ".priority: " + RouterConfigLoader.describe(priorityNode)
              + " (expected: an integer >= 1, 1 is the highest)");
          continue;
        }
        priority = priorityNode.asInt();
      }
      tiers.add(new Tier(name, index, budgetNanos, priority));
    }
    return problems.size() > before ? Tier.DEFAULTS : tiers;
  }

  static List<ModelRouting> models(JsonNode node, Path baseDir, List<String> problems) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      problems.add("models: " + RouterConfigLoader.describe(node)
          + " (expected: a list, e.g. models: [{name: higgs_mlp, profile: profiles/higgs_mlp.json}])");
      return List.of();
    }
    List<ModelRouting> models = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "models[" + i + "]";
      JsonNode model = node.get(i);
      if (!model.isObject()) {
        problems.add(at + ": " + RouterConfigLoader.describe(model) + " (expected: a mapping {name, profile})");
        continue;
      }
      rejectUnknown(model, at, MODEL_KEYS, problems);
      JsonNode name = model.get("name");
      JsonNode profile = model.get("profile");
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        problems.add(at + ".name: " + RouterConfigLoader.describe(name) + " (expected: the model name requests carry)");
        continue;
      }
      String label = at + " (model '" + name.asText() + "')";
      if (!names.add(name.asText())) {
        problems.add(label + ".name: '" + name.asText() + "' (expected: unique; it names another model)");
        continue;
      }
      if (profile == null || !profile.isTextual() || profile.asText().isBlank()) {
        problems.add(label + ".profile: " + RouterConfigLoader.describe(profile)
            + " (expected: a profile file written by `yardmaster profile`, relative to the config file)");
        continue;
      }
      Path file = baseDir.resolve(profile.asText()).normalize();
      try {
        Profile read = ProfileFiles.read(file);
        models.add(new ModelRouting(name.asText(), file, read));
      } catch (InvalidProfileException e) {
        problems.add(label + ".profile: " + file + " is invalid: " + String.join("; ", e.problems())
            + " (expected: a valid profile, see profiler/PROFILES.md)");
      } catch (IOException e) {
        problems.add(label + ".profile: " + file + " cannot be read: " + e
            + " (expected: a readable profile file; paths are relative to the config file)");
      }
    }
    return models;
  }

  static RoutingSettings routing(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      return RoutingSettings.defaults();
    }
    if (!node.isObject()) {
      problems.add("routing: " + RouterConfigLoader.describe(node)
          + " (expected: a mapping, e.g. routing: {policy: cost-aware, safety_margin: 0.8})");
      return RoutingSettings.defaults();
    }
    rejectUnknown(node, "routing", ROUTING_KEYS, problems);
    int before = problems.size();
    String policy = "cost-aware";
    JsonNode policyNode = node.get("policy");
    if (policyNode != null && !policyNode.isNull()) {
      policy = policyNode.asText().toLowerCase(Locale.ROOT);
      if (!RoutingSettings.POLICIES.contains(policy)) {
        problems.add("routing.policy: " + policyNode.asText() + " (expected: one of " + RoutingSettings.POLICIES + ")");
      }
    }
    double margin = RoutingConfig.DEFAULT_SAFETY_MARGIN;
    JsonNode marginNode = node.get("safety_margin");
    if (marginNode != null && !marginNode.isNull()) {
      margin = marginNode.asDouble(Double.NaN);
      if (!marginNode.isNumber() || !(margin > 0 && margin <= 1)) {
        problems.add("routing.safety_margin: " + RouterConfigLoader.describe(marginNode)
            + " (expected: a number > 0 and <= 1, the share of a tier's budget a prediction may use)");
      }
    }
    List<AcceleratorKind> fallback = RoutingConfig.DEFAULT_FALLBACK;
    JsonNode fallbackNode = node.get("fallback");
    if (fallbackNode != null && !fallbackNode.isNull()) {
      fallback = new ArrayList<>();
      if (!fallbackNode.isArray()) {
        problems.add("routing.fallback: " + RouterConfigLoader.describe(fallbackNode)
            + " (expected: a list of gpu, inferentia, cpu, e.g. [gpu, inferentia, cpu])");
      } else {
        for (int i = 0; i < fallbackNode.size(); i++) {
          String kind = fallbackNode.get(i).asText();
          try {
            AcceleratorKind parsed = AcceleratorKind.valueOf(kind.toUpperCase(Locale.ROOT));
            if (fallback.contains(parsed)) {
              problems.add("routing.fallback[" + i + "]: " + kind + " (expected: each accelerator at most once)");
            }
            fallback.add(parsed);
          } catch (IllegalArgumentException e) {
            problems.add("routing.fallback[" + i + "]: " + kind + " (expected: gpu, inferentia or cpu)");
          }
        }
      }
    }
    long maxQueueDelayNanos = RoutingConfig.DEFAULT_MAX_QUEUE_DELAY_NANOS;
    JsonNode delayNode = node.get("max_queue_delay_ms");
    if (delayNode != null && !delayNode.isNull()) {
      if (!delayNode.isNumber() || !(delayNode.asDouble() > 0) || delayNode.asDouble() > 3_600_000) {
        problems.add("routing.max_queue_delay_ms: " + RouterConfigLoader.describe(delayNode)
            + " (expected: milliseconds > 0 and <= 3600000)");
      } else {
        maxQueueDelayNanos = Math.round(delayNode.asDouble() * 1_000_000);
      }
    }
    if (problems.size() > before) {
      return RoutingSettings.defaults();
    }
    return new RoutingSettings(policy, new RoutingConfig(margin, fallback, maxQueueDelayNanos));
  }

  private static void rejectUnknown(JsonNode node, String at, Set<String> known, List<String> problems) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problems.add(at + "." + key + ": unknown key (expected: one of " + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static String names(List<Tier> tiers) {
    return String.join(", ", tiers.stream().map(Tier::name).toList());
  }
}
