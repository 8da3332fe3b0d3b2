package dev.yardmaster.profiler.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model's profile file: every (version, backend, pool) it was measured on.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param model model name as in the model repository
 * @param generatedAt ISO-8601 instant of the measurement, informational
 * @param tiers the tier budgets the derived facts were computed for
 * @param targetThroughput expected load in inferences/s, for {@code initial_instance_count}; 0 when
 *     unknown
 * @param entries one per (model version, backend, pool)
 * @param unmeasured grid points the run that wrote this file meant to measure but did not (it was
 *     interrupted): absent when the grid is complete, and in schema 1 files
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema_version", "model", "generated_at", "tiers", "target_throughput", "entries",
    "unmeasured"})
public record Profile(
    @JsonProperty(value = "schema_version", required = true) int schemaVersion,
    @JsonProperty(value = "model", required = true) String model,
    @JsonProperty("generated_at") @Nullable String generatedAt,
    @JsonProperty(value = "tiers", required = true) List<TierBudget> tiers,
    @JsonProperty("target_throughput") double targetThroughput,
    @JsonProperty(value = "entries", required = true) List<ProfileEntry> entries,
    @JsonProperty("unmeasured") @Nullable List<UnmeasuredPoint> unmeasured) {

  /**
   * The version written: 2 added the optional {@code mean_ms} and {@code server} (queue/compute
   * split) fields of grid points. Readers accept every version from {@link #OLDEST_READABLE_VERSION}.
   */
  public static final int SCHEMA_VERSION = 2;

  /** The oldest schema version still read: version 1 files lack only optional fields. */
  public static final int OLDEST_READABLE_VERSION = 1;

  /** The default tiers: gold 50 ms, silver 150 ms, bronze best effort. */
  public static final List<TierBudget> DEFAULT_TIERS = List.of(
      new TierBudget("gold", 50.0), new TierBudget("silver", 150.0), new TierBudget("bronze", null));

  @JsonCreator
  public Profile {
    tiers = List.copyOf(tiers);
    entries = List.copyOf(entries);
    unmeasured = unmeasured == null || unmeasured.isEmpty() ? null : List.copyOf(unmeasured);
  }

  /** A complete profile: every planned point was measured. */
  public Profile(int schemaVersion, String model, @Nullable String generatedAt, List<TierBudget> tiers,
      double targetThroughput, List<ProfileEntry> entries) {
    this(schemaVersion, model, generatedAt, tiers, targetThroughput, entries, null);
  }

  /** This profile with other entries; everything else kept. */
  public Profile withEntries(List<ProfileEntry> newEntries) {
    return new Profile(schemaVersion, model, generatedAt, tiers, targetThroughput, newEntries, unmeasured);
  }

  /** Whether the run that wrote it left planned points unmeasured. */
  public boolean partial() {
    return unmeasured != null;
  }

  /** The same profile with every entry's derived facts recomputed from its grid. */
  public Profile withDerived() {
    List<ProfileEntry> derived = new ArrayList<>(entries.size());
    for (ProfileEntry entry : entries) {
      derived.add(entry.withDerived(Derivation.derive(entry, tiers, targetThroughput)));
    }
    return withEntries(derived);
  }

  /**
   * A planned grid point that was not measured.
   *
   * @param pool the pool it was planned on
   * @param batch rows per request
   * @param concurrency requests in flight
   * @param reason why, e.g. {@code interrupted}
   */
  @JsonPropertyOrder({"pool", "batch", "concurrency", "reason"})
  public record UnmeasuredPoint(
      @JsonProperty(value = "pool", required = true) String pool,
      @JsonProperty(value = "batch", required = true) int batch,
      @JsonProperty(value = "concurrency", required = true) int concurrency,
      @JsonProperty(value = "reason", required = true) String reason) {

    @Override
    public String toString() {
      return pool + " b=" + batch + " c=" + concurrency;
    }
  }

  /**
   * A tier budget.
   *
   * @param name tier name
   * @param p99Ms p99 budget in milliseconds; null for best effort
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TierBudget(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("p99_ms") @Nullable Double p99Ms) {}
}
