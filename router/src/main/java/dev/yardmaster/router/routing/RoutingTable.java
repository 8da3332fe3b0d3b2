package dev.yardmaster.router.routing;

import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AuthConfig;
import dev.yardmaster.router.config.ModelRouting;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.RoutingPolicy;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.profile.ServiceCurves;
import dev.yardmaster.router.config.PoolConfig;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything per-request routing reads that changes only with config: pools by index, model
 * indexes, each pool's curves by model index (precomputed from the profiles), the policy and the
 * admission rules. Immutable; rebuilt and swapped on reload.
 */
final class RoutingTable {

  final Pool[] pools;
  final String[] poolNames;
  final String[] modelNames;
  final Map<String, Integer> modelIndex;
  /**
   * Models the config names: {@code models:} and the pools' {@code health_check.models}. Empty when
   * it names none: the router then forwards every model and the pool answers for it.
   */
  final Set<String> knownModels;
  /** [pool][model]; null where the pool has no profile for the model (fallback only). */
  final @Nullable ServiceCurve[][] curvesByPool;
  /** What the router learned about each pool, by index; shared across tables by pool name. */
  final PoolFeedback[] feedback;
  final RoutingPolicy policy;
  final Admission admission;
  final AuthConfig auth;
  final List<Tier> tiers;
  final long retryAfterMillis;

  private RoutingTable(Pool[] pools, String[] modelNames, @Nullable ServiceCurve[][] curvesByPool,
      Set<String> knownModels, PoolFeedback[] feedback, RoutingPolicy policy, Admission admission, AuthConfig auth, long retryAfterMillis) {
    this.pools = pools;
    this.knownModels = Set.copyOf(knownModels);
    this.feedback = feedback;
    this.poolNames = new String[pools.length];
    for (int p = 0; p < pools.length; p++) {
      poolNames[p] = pools[p].name();
    }
    this.modelNames = modelNames;
    this.modelIndex = new HashMap<>();
    for (int m = 0; m < modelNames.length; m++) {
      modelIndex.put(modelNames[m], m);
    }
    this.curvesByPool = curvesByPool;
    this.policy = policy;
    this.admission = admission;
    this.auth = auth;
    this.tiers = admission.config().tiers();
    this.retryAfterMillis = retryAfterMillis;
  }

  /** The table of {@code config} over the pools {@code pools} holds now (apply the config to them first). */
  static RoutingTable build(RouterConfig config, Pools pools, Function<String, PoolFeedback> feedbackOfPool) {
    List<Pool> live = pools.all();
    Pool[] byIndex = live.toArray(new Pool[0]);
    List<ModelRouting> models = config.models();
    String[] modelNames = new String[models.size()];
    List<Tier> tiers = config.admission().tiers();
    @Nullable ServiceCurve[][] curves = new ServiceCurve[byIndex.length][models.size()];
    for (int m = 0; m < models.size(); m++) {
      modelNames[m] = models.get(m).name();
      for (int p = 0; p < byIndex.length; p++) {
        curves[p][m] = curve(models.get(m), byIndex[p].name(), tiers);
      }
    }
    Set<String> known = new LinkedHashSet<>(List.of(modelNames));
    for (PoolConfig pool : config.pools()) {
      known.addAll(pool.healthCheck().models());
    }
    long retryAfter = Math.max(1, config.routing().config().maxQueueDelayNanos() / 1_000_000);
    PoolFeedback[] feedback = new PoolFeedback[byIndex.length];
    for (int p = 0; p < byIndex.length; p++) {
      feedback[p] = feedbackOfPool.apply(byIndex[p].name());
    }
    return new RoutingTable(byIndex, modelNames, curves, known, feedback, config.routing().newPolicy(),
        Admission.create(config.admission()), config.auth(), retryAfter);
  }

  /** The curve of the model's first profile entry measured on the pool, or null. */
  private static @Nullable ServiceCurve curve(ModelRouting model, String pool, List<Tier> tiers) {
    for (ProfileEntry entry : model.profile().entries()) {
      if (entry.pool().equals(pool) && !entry.grid().isEmpty()) {
        return ServiceCurves.of(entry, tiers);
      }
    }
    return null;
  }

  /** The model's index, or the model count (no curves anywhere: fallback routing) when unprofiled. */
  int model(String name) {
    Integer index = modelIndex.get(name);
    return index == null ? modelNames.length : index;
  }

  /** False when the config names models and this is none of them: no pool serves it. */
  boolean serves(String model) {
    return knownModels.isEmpty() || knownModels.contains(model);
  }

  /** NOT_FOUND naming the model and the models the config knows. */
  String unknownModelMessage(String model) {
    return "model '" + model + "': not served by any pool of this router (expected: one of "
        + knownModels.stream().sorted().toList() + ")";
  }

  /** The pool's curve for the model index, or null (no profile, or an unprofiled model). */
  @Nullable ServiceCurve curve(int pool, int model) {
    return model < modelNames.length ? curvesByPool[pool][model] : null;
  }

  int indexOf(String pool) {
    for (int p = 0; p < poolNames.length; p++) {
      if (poolNames[p].equals(pool)) {
        return p;
      }
    }
    return -1;
  }

  boolean hasCurve(String model, String pool) {
    Integer m = modelIndex.get(model);
    int p = indexOf(pool);
    return m != null && p >= 0 && curvesByPool[p][m] != null;
  }
}
