package dev.yardmaster.profiler.report;

import dev.yardmaster.profiler.pricing.PriceReport;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.profiler.profile.ProfileEntry.TierFacts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A profile as one self-contained HTML page (no scripts, CDNs or external files): latency vs
 * throughput per backend, cost per 1M inferences per backend and tier, the recommended choice per
 * tier (the cheapest entry that meets it), the server-side queue/compute split per point, the
 * summary table, and what could not be measured.
 */
public final class ProfileHtmlReport {

  private ProfileHtmlReport() {}

  /**
   * A tier's recommendation.
   *
   * @param tier tier name
   * @param entry {@code version/backend/pool} of the cheapest entry meeting the tier; null when none does
   * @param facts that entry's facts for the tier
   */
  public record Choice(String tier, @org.jspecify.annotations.Nullable String entry,
      @org.jspecify.annotations.Nullable TierFacts facts) {}

  /** Per tier, the entry with the lowest cost per 1M inferences among those meeting it. */
  public static List<Choice> recommend(Profile profile) {
    Profile derived = profile.withDerived();
    List<Choice> choices = new ArrayList<>();
    for (Profile.TierBudget tier : derived.tiers()) {
      ProfileEntry best = null;
      TierFacts bestFacts = null;
      for (ProfileEntry entry : derived.entries()) {
        for (TierFacts facts : entry.derived().tiers()) {
          if (facts.tier().equals(tier.name()) && facts.costPerMillion() != null && facts.maxThroughput() > 0
              && (bestFacts == null || facts.costPerMillion() < bestFacts.costPerMillion()
                  || (facts.costPerMillion().equals(bestFacts.costPerMillion())
                      && facts.maxThroughput() > bestFacts.maxThroughput()))) {
            best = entry;
            bestFacts = facts;
          }
        }
      }
      choices.add(new Choice(tier.name(), best == null ? null : label(best), bestFacts));
    }
    return choices;
  }

  /** The page; {@code missing} lines are listed as not measured. */
  public static String render(Profile profile, List<String> missing) {
    return render(profile, missing, new PriceReport(List.of()));
  }

  /**
   * The page, with a prices section: which source priced each instance type and why the sources
   * before it (the AWS Price List, say) had no price.
   */
  public static String render(Profile profile, List<String> missing, PriceReport prices) {
    Profile derived = profile.withDerived();
    String model = ChartImages.escape(derived.model());
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Yardmaster profile: ").append(model).append("</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("td:first-child,th{text-align:left}.miss{color:#b00}</style></head><body>\n");
    html.append("<h1>Yardmaster profile: ").append(model).append("</h1>\n");
    html.append("<p>Measured ").append(ChartImages.escape(String.valueOf(derived.generatedAt())))
        .append(" on ").append(derived.entries().size()).append(" backend(s).</p>\n");
    html.append("<h2>Recommended choice per tier</h2>\n<table><tr><th>tier</th><th>p99 budget ms</th>")
        .append("<th>choice</th><th>max infer/s</th><th>batch</th><th>concurrency</th><th>p99 ms</th>")
        .append("<th>$ per 1M</th></tr>\n");
    for (Choice choice : recommend(derived)) {
      TierFacts facts = choice.facts();
      html.append("<tr><td>").append(ChartImages.escape(choice.tier())).append("</td><td>");
      if (facts == null) {
        html.append("</td><td class=\"miss\">no backend meets it</td><td></td><td></td><td></td><td></td><td></td></tr>\n");
        continue;
      }
      html.append(facts.p99BudgetMs() == null ? "best effort" : f("%.0f", facts.p99BudgetMs()))
          .append("</td><td>").append(ChartImages.escape(String.valueOf(choice.entry()))).append("</td><td>")
          .append(f("%.1f", facts.maxThroughput())).append("</td><td>").append(facts.batch()).append("</td><td>")
          .append(facts.concurrency()).append("</td><td>").append(f("%.3f", facts.p99Ms())).append("</td><td>")
          .append(f("%.4f", facts.costPerMillion())).append("</td></tr>\n");
    }
    html.append("</table>\n");
    html.append("<h2>Latency vs throughput</h2>\n").append(ChartImages.img(latencyChart(derived)));
    html.append("<h2>Cost per 1M inferences</h2>\n").append(ChartImages.img(costChart(derived)));
    serverSplit(derived, html);
    if (!prices.resolutions().isEmpty()) {
      html.append("<h2>Prices</h2>\n<pre class=\"prices\">").append(ChartImages.escape(prices.render()))
          .append("</pre>\n");
    }
    if (!missing.isEmpty() || derived.partial()) {
      html.append("<h2>Not measured</h2>\n<ul>\n");
      missing.forEach(line -> html.append("<li class=\"miss\">").append(ChartImages.escape(line)).append("</li>\n"));
      if (derived.partial()) {
        html.append("<li class=\"miss unmeasured\">planned points not measured: ")
            .append(ChartImages.escape(SummaryTable.unmeasured(derived))).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("<h2>Summary</h2>\n<pre>").append(ChartImages.escape(SummaryTable.render(derived, List.of())))
        .append("</pre>\n</body></html>\n");
    return html.toString();
  }

  /**
   * Per backend and point, where a request's time went: the server's queue and compute (from its
   * ModelStatistics) and the rest of the client's mean latency (network, serialisation, client).
   */
  private static void serverSplit(Profile profile, StringBuilder html) {
    html.append("<h2>Server-side queue / compute split</h2>\n");
    for (ProfileEntry entry : profile.entries()) {
      html.append("<h3>").append(ChartImages.escape(label(entry))).append("</h3>\n");
      if (!SummaryTable.hasServerStatistics(entry)) {
        html.append("<p class=\"split-na\">queue/compute: ").append(SummaryTable.NO_SERVER_STATISTICS)
            .append("</p>\n");
        continue;
      }
      html.append("<table class=\"split\"><tr><th>batch</th><th>concurrency</th><th>client mean ms</th>")
          .append("<th>server queue ms</th><th>server compute ms</th><th>other ms</th>")
          .append("<th>server batch</th></tr>\n");
      for (GridPoint point : entry.grid()) {
        ServerSplit server = point.server();
        html.append("<tr><td>").append(point.batch()).append("</td><td>").append(point.concurrency())
            .append("</td><td>").append(point.meanMs() == null ? "-" : f("%.3f", point.meanMs())).append("</td>");
        if (server == null) {
          html.append("<td>-</td><td>-</td><td>-</td><td>-</td></tr>\n");
          continue;
        }
        String other = point.meanMs() == null ? "-" : f("%.3f", Math.max(0, point.meanMs() - server.serverMs()));
        html.append("<td>").append(f("%.3f", server.queueMs())).append("</td><td>")
            .append(f("%.3f", server.computeMs())).append("</td><td>").append(other).append("</td><td>")
            .append(f("%.1f", server.batch())).append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
  }

  /** p99 against throughput: one series per backend, points ordered by throughput. */
  static JFreeChart latencyChart(Profile profile) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ProfileEntry entry : profile.entries()) {
      XYSeries series = new XYSeries(label(entry), false, true);
      List<GridPoint> points = new ArrayList<>(entry.grid());
      points.sort(Comparator.comparingDouble(GridPoint::throughput));
      for (GridPoint point : points) {
        if (point.throughput() > 0) {
          series.add(point.throughput(), point.p99Ms());
        }
      }
      data.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("p99 latency vs throughput per backend",
        "inferences per second", "p99 milliseconds", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    plot.setRenderer(renderer);
    return ChartImages.style(chart);
  }

  /** Dollars per 1M inferences at each tier's best point, per backend. */
  static JFreeChart costChart(Profile profile) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ProfileEntry entry : profile.entries()) {
      for (TierFacts facts : entry.derived().tiers()) {
        if (facts.costPerMillion() != null) {
          data.addValue(facts.costPerMillion(), label(entry), facts.tier());
        }
      }
    }
    return ChartImages.style(ChartFactory.createBarChart("$ per 1M inferences per backend and tier", "tier",
        "dollars", data, PlotOrientation.VERTICAL, true, false, false));
  }

  private static String label(ProfileEntry entry) {
    return "v" + entry.modelVersion() + " " + entry.backend() + "/" + entry.pool() + " (" + entry.instanceType() + ")";
  }

  private static String f(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
