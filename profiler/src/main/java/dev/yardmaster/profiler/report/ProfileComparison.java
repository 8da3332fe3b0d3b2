package dev.yardmaster.profiler.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.TierFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What changed between two profiles ({@code yardmaster profile --compare A.json B.json}): per
 * matched entry, throughput and p99 per grid point and per tier with % deltas. An entry of B is
 * matched with A's entry of the same (version, backend, pool), else the same (backend, pool) so a
 * new model version compares with the old one.
 *
 * @param modelA model of A
 * @param modelB model of B
 * @param entries per matched pair
 * @param onlyInA entries of A with no match in B, as {@code version/backend/pool}
 * @param onlyInB entries of B with no match in A
 */
public record ProfileComparison(
    String modelA, String modelB, List<EntryDelta> entries, List<String> onlyInA, List<String> onlyInB) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the lists. */
  public ProfileComparison {
    entries = List.copyOf(entries);
    onlyInA = List.copyOf(onlyInA);
    onlyInB = List.copyOf(onlyInB);
  }

  /** One pair of entries. */
  public record EntryDelta(String a, String b, List<PointDelta> points, List<TierDelta> tiers) {
    public EntryDelta {
      points = List.copyOf(points);
      tiers = List.copyOf(tiers);
    }
  }

  /** One grid point in both (or either) profiles; deltas in percent of A, null when a side is absent. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PointDelta(int batch, int concurrency, @Nullable Double throughputA, @Nullable Double throughputB,
      @Nullable Double throughputDeltaPct, @Nullable Double p99MsA, @Nullable Double p99MsB,
      @Nullable Double p99DeltaPct) {}

  /** One tier's best point in both profiles. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TierDelta(String tier, double maxThroughputA, double maxThroughputB,
      @Nullable Double throughputDeltaPct, @Nullable Double p99MsA, @Nullable Double p99MsB,
      @Nullable Double p99DeltaPct, @Nullable Double costPerMillionA, @Nullable Double costPerMillionB) {}

  /** Compares A (before) with B (after). */
  public static ProfileComparison compare(Profile a, Profile b) {
    Profile derivedA = a.withDerived();
    Profile derivedB = b.withDerived();
    List<EntryDelta> deltas = new ArrayList<>();
    List<ProfileEntry> unmatchedA = new ArrayList<>(derivedA.entries());
    List<String> onlyInB = new ArrayList<>();
    for (ProfileEntry entryB : derivedB.entries()) {
      ProfileEntry match = null;
      for (ProfileEntry candidate : unmatchedA) {
        if (key(candidate).equals(key(entryB))) {
          match = candidate;
        }
      }
      if (match == null) {
        for (ProfileEntry candidate : unmatchedA) {
          if (match == null && candidate.backend().equals(entryB.backend()) && candidate.pool().equals(entryB.pool())) {
            match = candidate;
          }
        }
      }
      if (match == null) {
        onlyInB.add(key(entryB));
        continue;
      }
      unmatchedA.remove(match);
      deltas.add(new EntryDelta(key(match), key(entryB), points(match, entryB), tiers(match, entryB)));
    }
    return new ProfileComparison(a.model(), b.model(), deltas,
        unmatchedA.stream().map(ProfileComparison::key).toList(), onlyInB);
  }

  private static List<PointDelta> points(ProfileEntry a, ProfileEntry b) {
    List<PointDelta> points = new ArrayList<>();
    for (GridPoint pa : a.grid()) {
      GridPoint pb = find(b, pa.batch(), pa.concurrency());
      points.add(new PointDelta(pa.batch(), pa.concurrency(), pa.throughput(), pb == null ? null : pb.throughput(),
          pb == null ? null : pct(pa.throughput(), pb.throughput()), pa.p99Ms(), pb == null ? null : pb.p99Ms(),
          pb == null ? null : pct(pa.p99Ms(), pb.p99Ms())));
    }
    for (GridPoint pb : b.grid()) {
      if (find(a, pb.batch(), pb.concurrency()) == null) {
        points.add(new PointDelta(pb.batch(), pb.concurrency(), null, pb.throughput(), null, null, pb.p99Ms(), null));
      }
    }
    return points;
  }

  private static List<TierDelta> tiers(ProfileEntry a, ProfileEntry b) {
    List<TierDelta> tiers = new ArrayList<>();
    if (a.derived() == null || b.derived() == null) {
      return tiers;
    }
    for (TierFacts ta : a.derived().tiers()) {
      for (TierFacts tb : b.derived().tiers()) {
        if (ta.tier().equals(tb.tier())) {
          tiers.add(new TierDelta(ta.tier(), ta.maxThroughput(), tb.maxThroughput(),
              pct(ta.maxThroughput(), tb.maxThroughput()), ta.p99Ms(), tb.p99Ms(),
              ta.p99Ms() == null || tb.p99Ms() == null ? null : pct(ta.p99Ms(), tb.p99Ms()),
              ta.costPerMillion(), tb.costPerMillion()));
        }
      }
    }
    return tiers;
  }

  private static @Nullable GridPoint find(ProfileEntry entry, int batch, int concurrency) {
    for (GridPoint point : entry.grid()) {
      if (point.batch() == batch && point.concurrency() == concurrency) {
        return point;
      }
    }
    return null;
  }

  private static @Nullable Double pct(double before, double after) {
    return before == 0 ? null : (after - before) / before * 100;
  }

  private static String key(ProfileEntry entry) {
    return entry.modelVersion() + "/" + entry.backend() + "/" + entry.pool();
  }

  /** The comparison as indented JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("comparison: not serialisable (expected: plain values)", e);
    }
  }

  /** The comparison as terminal tables. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append(f("compare %s (A) -> %s (B)%n", modelA, modelB));
    for (EntryDelta entry : entries) {
      out.append(f("%n%s -> %s%n", entry.a(), entry.b()));
      out.append(f("%6s %6s %12s %12s %9s %9s %9s %9s%n",
          "batch", "conc", "A infer/s", "B infer/s", "delta", "A p99 ms", "B p99 ms", "delta"));
      for (PointDelta p : entry.points()) {
        out.append(f("%6d %6d %12s %12s %9s %9s %9s %9s%n", p.batch(), p.concurrency(), num(p.throughputA(), "%.1f"),
            num(p.throughputB(), "%.1f"), pctText(p.throughputDeltaPct()), num(p.p99MsA(), "%.3f"),
            num(p.p99MsB(), "%.3f"), pctText(p.p99DeltaPct())));
      }
      out.append(f("%-8s %12s %12s %9s %9s %9s %9s %10s %10s%n", "tier", "A max/s", "B max/s", "delta",
          "A p99 ms", "B p99 ms", "delta", "A $/1M", "B $/1M"));
      for (TierDelta t : entry.tiers()) {
        out.append(f("%-8s %12.1f %12.1f %9s %9s %9s %9s %10s %10s%n", t.tier(), t.maxThroughputA(),
            t.maxThroughputB(), pctText(t.throughputDeltaPct()), num(t.p99MsA(), "%.3f"), num(t.p99MsB(), "%.3f"),
            pctText(t.p99DeltaPct()), num(t.costPerMillionA(), "%.4f"), num(t.costPerMillionB(), "%.4f")));
      }
    }
    onlyInA.forEach(key -> out.append(f("only in A: %s%n", key)));
    onlyInB.forEach(key -> out.append(f("only in B: %s%n", key)));
    return out.toString();
  }

  private static String num(@Nullable Double value, String pattern) {
    return value == null ? "-" : f(pattern, value);
  }

  private static String pctText(@Nullable Double value) {
    return value == null ? "-" : f("%+.1f%%", value);
  }

  private static String f(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
