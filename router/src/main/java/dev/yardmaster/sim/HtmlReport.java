package dev.yardmaster.sim;

import dev.yardmaster.profiler.report.ChartImages;
import dev.yardmaster.sim.Comparison.PolicyOutcome;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The comparison as one self-contained HTML page: the table, and charts rendered with JFreeChart
 * to PNG and embedded as base64 {@code data:} images (no scripts, CDNs or external files).
 */
public final class HtmlReport {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 360;

  private HtmlReport() {}

  public static String render(Comparison comparison) {
    System.setProperty("java.awt.headless", "true");
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Yardmaster simulation: ").append(escape(comparison.scenario())).append("</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:right}td:first-child,td:nth-child(2),th{text-align:left}")
        .append(".miss{color:#b00}</style></head><body>\n");
    html.append("<h1>Yardmaster simulation: ").append(escape(comparison.scenario())).append("</h1>\n");
    html.append("<p>Model <b>").append(escape(comparison.model())).append("</b>, ")
        .append(escape(comparison.trace())).append(": ").append(comparison.requests())
        .append(" requests, ").append(comparison.rows()).append(" inferences over ")
        .append(format("%.0f", comparison.durationSeconds())).append(" s of simulated time. ")
        .append("Each policy runs on the cheapest fleet that meets the SLAs on this trace; ")
        .append("the oracle is a lower bound (perfect foresight, full batches).</p>\n");
    html.append("<pre>").append(escape(TextReport.render(comparison))).append("</pre>\n");
    html.append("<h2>Cost per policy</h2>\n").append(image(costChart(comparison)));
    html.append("<h2>p99 latency per tier</h2>\n").append(image(p99Chart(comparison)));
    html.append("<h2>Offered load</h2>\n").append(image(loadChart(comparison)));
    html.append("</body></html>\n");
    return html.toString();
  }

  private static JFreeChart costChart(Comparison comparison) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (PolicyOutcome outcome : comparison.policies()) {
      data.addValue(outcome.costPerMillion(), "static fleet", outcome.policy());
      data.addValue(outcome.hourly().costPerMillion(), "hourly fleets", outcome.policy());
    }
    Comparison.OracleOutcome oracle = comparison.oracle();
    data.addValue(oracle.costPerMillion(), "static fleet", "oracle");
    data.addValue(oracle.hourlyCostPerMillion(), "hourly fleets", "oracle");
    return style(ChartFactory.createBarChart("$ per 1M inferences (cheapest SLA-meeting fleet)",
        "policy", "dollars", data, PlotOrientation.VERTICAL, true, false, false));
  }

  private static JFreeChart p99Chart(Comparison comparison) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (PolicyOutcome outcome : comparison.policies()) {
      for (TierSummary tier : outcome.tiers()) {
        if (Double.isFinite(tier.p99Ms())) {
          data.addValue(tier.p99Ms(), tier.tier(), outcome.policy());
        }
      }
    }
    return style(ChartFactory.createBarChart("p99 latency per tier (static fleets)", "policy", "milliseconds",
        data, PlotOrientation.VERTICAL, true, false, false));
  }

  private static JFreeChart loadChart(Comparison comparison) {
    XYSeries series = new XYSeries("offered rows/s");
    List<Double> load = comparison.loadRowsPerSecond();
    for (int i = 0; i < load.size(); i++) {
      series.add(i * comparison.loadBucketSeconds(), load.get(i));
    }
    return style(ChartFactory.createXYLineChart("Offered load", "simulated seconds",
        "inferences per second", new XYSeriesCollection(series), PlotOrientation.VERTICAL, false,
        false, false));
  }

  private static JFreeChart style(JFreeChart chart) {
    return ChartImages.style(chart);
  }

  private static String image(JFreeChart chart) {
    return ChartImages.img(chart, WIDTH, HEIGHT);
  }

  private static String escape(String text) {
    return ChartImages.escape(text);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
