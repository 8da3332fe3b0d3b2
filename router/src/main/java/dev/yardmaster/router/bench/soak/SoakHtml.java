package dev.yardmaster.router.bench.soak;

import dev.yardmaster.profiler.report.ChartImages;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jspecify.annotations.Nullable;

/**
 * A soak as one self-contained HTML page: the budgets, the server's memory over time (resident,
 * heap in use, long-lived heap, direct buffers) and the load it carried (throughput, p99).
 */
public final class SoakHtml {

  private SoakHtml() {}

  public static String render(SoakReport report) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Yardmaster soak</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}</style></head><body>\n")
        .append("<h1>Yardmaster soak: the demo server's footprint</h1>\n");
    SoakReport.Settings settings = report.settings();
    html.append("<p>").append(escape(String.format(Locale.ROOT,
        "%s, %d launches timed to ready, then %d closed-loop gRPC streams of batch-1 requests over %s for %.1f"
            + " minutes in %d windows of %.0f s; the growth budget leaves out the first %d windows. Server JVM"
            + " options: %s. Ended %s; server exit code %d after SIGTERM.",
        report.machine().availableProcessors() + " cores", settings.startups(), settings.concurrency(),
        settings.models(), settings.durationSeconds() / 60, report.samples().size(), settings.windowSeconds(),
        report.warmUpWindows(), settings.serverJvmOptions(), report.createdAt(), report.exitCode())))
        .append("</p>\n");
    html.append("<pre>").append(escape(FootprintBudgets.render(report.budgets()))).append("</pre>\n");
    html.append("<h2>Memory</h2>\n").append(ChartImages.img(memoryChart(report.samples())));
    html.append("<h2>Load</h2>\n").append(ChartImages.img(throughputChart(report.samples())))
        .append(ChartImages.img(latencyChart(report.samples())));
    html.append("</body></html>\n");
    return html.toString();
  }

  private static JFreeChart memoryChart(List<SoakSample> samples) {
    XYSeriesCollection data = new XYSeriesCollection();
    addSeries(data, "resident (VmRSS)", samples, SoakSample::rssMiB);
    addSeries(data, "heap in use", samples, SoakSample::heapUsedMiB);
    addSeries(data, "old generation", samples, SoakSample::oldGenMiB);
    addSeries(data, "long-lived heap after old-generation GC", samples, SoakSample::liveHeapMiB);
    addSeries(data, "direct buffers", samples, SoakSample::directMiB);
    return chart("Server memory", "MiB", data);
  }

  private static JFreeChart throughputChart(List<SoakSample> samples) {
    XYSeriesCollection data = new XYSeriesCollection();
    addSeries(data, "inferences per second", samples, SoakSample::inferencesPerSecond);
    return chart("Throughput per window", "inferences per second", data);
  }

  private static JFreeChart latencyChart(List<SoakSample> samples) {
    XYSeriesCollection data = new XYSeriesCollection();
    addSeries(data, "p99", samples, SoakSample::p99Ms);
    return chart("p99 latency per window", "milliseconds", data);
  }

  private static JFreeChart chart(String title, String valueAxis, XYSeriesCollection data) {
    return ChartImages.style(ChartFactory.createXYLineChart(title, "minutes under load", valueAxis, data,
        PlotOrientation.VERTICAL, data.getSeriesCount() > 1, false, false));
  }

  private static void addSeries(XYSeriesCollection data, String name, List<SoakSample> samples,
      Function<SoakSample, @Nullable Double> value) {
    XYSeries series = new XYSeries(name);
    for (SoakSample sample : samples) {
      Double y = value.apply(sample);
      if (y != null) {
        series.add(sample.minutes(), y);
      }
    }
    if (!series.isEmpty()) {
      data.addSeries(series);
    }
  }

  private static String escape(String text) {
    return ChartImages.escape(text);
  }
}
