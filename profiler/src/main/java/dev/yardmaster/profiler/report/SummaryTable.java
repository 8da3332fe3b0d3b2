package dev.yardmaster.profiler.report;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.BatchingAdvice;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.profiler.profile.ProfileEntry.TierFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** The terminal summary of a profile: the grid per entry, then per tier the best point, cost and batching. */
public final class SummaryTable {

  /** Shown instead of the queue/compute split of a backend without ModelStatistics. */
  public static final String NO_SERVER_STATISTICS = "n/a (backend exposes no statistics)";

  private SummaryTable() {}

  /** The table, with {@code missing} lines (what could not be measured, and why) at the end. */
  public static String render(Profile profile, List<String> missing) {
    StringBuilder out = new StringBuilder();
    out.append("model ").append(profile.model()).append('\n');
    for (ProfileEntry entry : profile.entries()) {
      out.append('\n').append(f("%s v%s on %s (%s, %s, %s, $%.4f/h)%n", profile.model(), entry.modelVersion(),
          entry.pool(), entry.backend(), entry.instanceType(), entry.accelerator(), entry.pricePerHour()));
      out.append(f("%6s %6s %12s %9s %9s %9s %9s %9s %7s %9s %10s %9s%n", "batch", "conc", "infer/s",
          "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms", "errors", "queue ms", "compute ms", "srv batch"));
      for (GridPoint p : entry.grid()) {
        ServerSplit server = p.server();
        out.append(f("%6d %6d %12.1f %9.3f %9.3f %9.3f %9.3f %9s %7d %9s %10s %9s%n", p.batch(), p.concurrency(),
            p.throughput(), p.p50Ms(), p.p90Ms(), p.p95Ms(), p.p99Ms(),
            p.maxMs() == null ? "-" : f("%.3f", p.maxMs()), p.errors(),
            server == null ? "-" : f("%.3f", server.queueMs()), server == null ? "-" : f("%.3f", server.computeMs()),
            server == null ? "-" : f("%.1f", server.batch())));
      }
      if (!hasServerStatistics(entry)) {
        out.append("queue/compute: ").append(NO_SERVER_STATISTICS).append('\n');
      }
      if (entry.derived() != null) {
        out.append(f("%-8s %10s %12s %6s %6s %9s %12s  %s%n",
            "tier", "budget ms", "max infer/s", "batch", "conc", "p99 ms", "$ per 1M", "batching"));
        List<BatchingAdvice> batching = entry.derived().batching();
        for (int i = 0; i < entry.derived().tiers().size(); i++) {
          TierFacts tier = entry.derived().tiers().get(i);
          BatchingAdvice advice = batching == null || i >= batching.size() ? null : batching.get(i);
          out.append(f("%-8s %10s %12.1f %6d %6d %9s %12s  %s%n", tier.tier(),
              tier.p99BudgetMs() == null ? "-" : f("%.0f", tier.p99BudgetMs()), tier.maxThroughput(),
              tier.batch(), tier.concurrency(), tier.p99Ms() == null ? "-" : f("%.3f", tier.p99Ms()),
              tier.costPerMillion() == null ? "-" : f("%.4f", tier.costPerMillion()),
              advice == null || advice.preferredBatchSizes().isEmpty() ? "-"
                  : "preferred " + advice.preferredBatchSizes() + ", delay " + advice.maxQueueDelayMicros() + " us"));
        }
      }
    }
    if (profile.unmeasured() != null) {
      out.append("\nnot measured (").append(profile.unmeasured().size()).append(" planned points, partial run):\n");
      out.append("  ").append(unmeasured(profile)).append('\n');
    }
    if (!missing.isEmpty()) {
      out.append("\nmissing:\n");
      missing.forEach(line -> out.append("  ").append(line).append('\n'));
    }
    return out.toString();
  }

  /** The unmeasured points, grouped by pool and reason: {@code cpu-local (interrupted): b=8 c=2, b=8 c=4}. */
  public static String unmeasured(Profile profile) {
    if (profile.unmeasured() == null) {
      return "";
    }
    Map<String, List<String>> byPool = new LinkedHashMap<>();
    for (Profile.UnmeasuredPoint point : profile.unmeasured()) {
      byPool.computeIfAbsent(point.pool() + " (" + point.reason() + ")", k -> new ArrayList<>())
          .add("b=" + point.batch() + " c=" + point.concurrency());
    }
    List<String> groups = new ArrayList<>();
    byPool.forEach((pool, points) -> groups.add(pool + ": " + String.join(", ", points)));
    return String.join("; ", groups);
  }

  /** Whether any of the entry's points carries the server's queue/compute split. */
  public static boolean hasServerStatistics(ProfileEntry entry) {
    return entry.grid().stream().anyMatch(p -> p.server() != null);
  }

  private static String f(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
