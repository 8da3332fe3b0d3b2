package dev.yardmaster.profiler.profile;

import dev.yardmaster.profiler.profile.Profile.TierBudget;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a parsed profile and reports every problem at once, each naming its JSON field. */
final class ProfileValidator {

  private final String where;
  private final List<String> problems = new ArrayList<>();
  private int schemaVersion = Profile.SCHEMA_VERSION;

  private ProfileValidator(String where) {
    this.where = where;
  }

  /** Problems as {@code <where>: <field>: <actual> (expected: <rule>)}; empty when valid. */
  static List<String> validate(Profile profile, String where) {
    ProfileValidator validator = new ProfileValidator(where);
    validator.check(profile);
    return validator.problems;
  }

  private void check(Profile profile) {
    int version = profile.schemaVersion();
    if (version < Profile.OLDEST_READABLE_VERSION || version > Profile.SCHEMA_VERSION) {
      problem("schema_version", String.valueOf(version), Profile.OLDEST_READABLE_VERSION + ".." + Profile.SCHEMA_VERSION);
    }
    schemaVersion = version;
    nonEmpty("model", profile.model());
    Set<String> tierNames = new HashSet<>();
    for (int t = 0; t < profile.tiers().size(); t++) {
      TierBudget tier = profile.tiers().get(t);
      String field = "tiers[" + t + "]";
      if (nonEmpty(field + ".name", tier.name()) && !tierNames.add(tier.name())) {
        problem(field + ".name", quote(tier.name()), "unique tier names");
      }
      if (tier.p99Ms() != null && !(tier.p99Ms() > 0 && tier.p99Ms() < Double.POSITIVE_INFINITY)) {
        problem(field + ".p99_ms", number(tier.p99Ms()), "> 0, or absent for best effort");
      }
    }
    if (!(profile.targetThroughput() >= 0 && profile.targetThroughput() < Double.POSITIVE_INFINITY)) {
      problem("target_throughput", number(profile.targetThroughput()), ">= 0");
    }
    if (profile.entries().isEmpty()) {
      problem("entries", "[]", "at least one entry");
    }
    if (profile.unmeasured() != null) {
      newerField("unmeasured");
      for (int u = 0; u < profile.unmeasured().size(); u++) {
        Profile.UnmeasuredPoint point = profile.unmeasured().get(u);
        nonEmpty("unmeasured[" + u + "].pool", point.pool());
        if (point.batch() < 1) {
          problem("unmeasured[" + u + "].batch", String.valueOf(point.batch()), ">= 1");
        }
        if (point.concurrency() < 1) {
          problem("unmeasured[" + u + "].concurrency", String.valueOf(point.concurrency()), ">= 1");
        }
      }
    }
    Map<String, Integer> keys = new HashMap<>();
    for (int e = 0; e < profile.entries().size(); e++) {
      checkEntry(profile.entries().get(e), "entries[" + e + "]", e, keys);
    }
  }

  private void checkEntry(ProfileEntry entry, String field, int index, Map<String, Integer> keys) {
    nonEmpty(field + ".model_version", entry.modelVersion());
    oneOf(field + ".backend", entry.backend(), ProfileEntry.BACKENDS);
    nonEmpty(field + ".pool", entry.pool());
    nonEmpty(field + ".instance_type", entry.instanceType());
    oneOf(field + ".accelerator", entry.accelerator(), ProfileEntry.ACCELERATORS);
    if (!(entry.pricePerHour() >= 0 && entry.pricePerHour() < Double.POSITIVE_INFINITY)) {
      problem(field + ".price_per_hour", number(entry.pricePerHour()), ">= 0");
    }
    Integer previous = keys.putIfAbsent(
        entry.modelVersion() + '\0' + entry.backend() + '\0' + entry.pool() + '\0' + entry.accelerator(), index);
    if (previous != null) {
      problem(field, "same model_version, backend, pool and accelerator as entries[" + previous + "]",
          "one entry per model_version, backend, pool and accelerator");
    }
    if (entry.grid().isEmpty()) {
      problem(field + ".grid", "[]", "at least one measured point");
    }
    Map<Long, Integer> points = new HashMap<>();
    for (int g = 0; g < entry.grid().size(); g++) {
      GridPoint point = entry.grid().get(g);
      String pointField = field + ".grid[" + g + "]";
      checkPoint(point, pointField);
      Integer same = points.putIfAbsent(((long) point.batch() << 32) | point.concurrency(), g);
      if (same != null) {
        problem(pointField, "batch " + point.batch() + " concurrency " + point.concurrency()
            + " again (grid[" + same + "])", "one point per batch and concurrency");
      }
    }
  }

  private void checkPoint(GridPoint point, String field) {
    if (point.batch() < 1) {
      problem(field + ".batch", String.valueOf(point.batch()), ">= 1");
    }
    if (point.concurrency() < 1) {
      problem(field + ".concurrency", String.valueOf(point.concurrency()), ">= 1");
    }
    nonNegative(field + ".throughput", point.throughput());
    boolean percentilesValid = nonNegative(field + ".p50_ms", point.p50Ms())
        & nonNegative(field + ".p90_ms", point.p90Ms())
        & nonNegative(field + ".p95_ms", point.p95Ms())
        & nonNegative(field + ".p99_ms", point.p99Ms());
    if (percentilesValid) {
      atLeast(field + ".p90_ms", point.p90Ms(), "p50_ms", point.p50Ms());
      atLeast(field + ".p95_ms", point.p95Ms(), "p90_ms", point.p90Ms());
      atLeast(field + ".p99_ms", point.p99Ms(), "p95_ms", point.p95Ms());
      if (point.maxMs() != null && nonNegative(field + ".max_ms", point.maxMs())) {
        atLeast(field + ".max_ms", point.maxMs(), "p99_ms", point.p99Ms());
      }
    }
    if (point.errors() < 0) {
      problem(field + ".errors", String.valueOf(point.errors()), ">= 0");
    }
    if (point.meanMs() != null) {
      nonNegative(field + ".mean_ms", point.meanMs());
      newerField(field + ".mean_ms");
    }
    if (point.server() != null) {
      checkServer(point.server(), field + ".server");
    }
  }

  private void checkServer(ServerSplit server, String field) {
    newerField(field);
    nonNegative(field + ".queue_ms", server.queueMs());
    nonNegative(field + ".compute_ms", server.computeMs());
    if (!(server.batch() >= 1 && server.batch() < Double.POSITIVE_INFINITY)) {
      problem(field + ".batch", number(server.batch()), ">= 1");
    }
    if (server.requests() < 1) {
      problem(field + ".requests", String.valueOf(server.requests()), ">= 1");
    }
    if (server.executions() < 1) {
      problem(field + ".executions", String.valueOf(server.executions()), ">= 1");
    }
    if (server.executionMs() != null) {
      nonNegative(field + ".execution_ms", server.executionMs());
    }
  }

  /** A field schema 1 did not have: present in a version 1 file, it is a mistake. */
  private void newerField(String field) {
    if (schemaVersion < 2) {
      problem(field, "present in schema_version " + schemaVersion, "schema_version >= 2, or the field absent");
    }
  }

  private boolean nonNegative(String field, double value) {
    if (value >= 0 && value < Double.POSITIVE_INFINITY) {
      return true;
    }
    problem(field, number(value), ">= 0");
    return false;
  }

  private void atLeast(String field, double value, String otherField, double other) {
    if (value < other) {
      problem(field, number(value), ">= " + otherField + " " + number(other));
    }
  }

  private boolean nonEmpty(String field, String value) {
    if (value == null || value.isBlank()) {
      problem(field, value == null ? "missing" : quote(value), "a non-empty string");
      return false;
    }
    return true;
  }

  private void oneOf(String field, String value, List<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      problem(field, value == null ? "missing" : quote(value), "one of " + String.join(", ", allowed));
    }
  }

  private void problem(String field, String actual, String expected) {
    problems.add(where + ": " + field + ": " + actual + " (expected: " + expected + ")");
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String quote(String value) {
    return '"' + value + '"';
  }
}
