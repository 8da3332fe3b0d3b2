package dev.yardmaster.profiler.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;

/**
 * Shared by the HTML reports (profiles, simulator): a JFreeChart chart as an {@code <img>} with an
 * embedded base64 PNG, so a report is one file with no scripts, CDNs or external images.
 */
public final class ChartImages {

  /** Default chart width in pixels. */
  public static final int WIDTH = 900;
  /** Default chart height in pixels. */
  public static final int HEIGHT = 360;

  private ChartImages() {}

  /** The house style: white background, light grey plot, long category labels allowed. */
  public static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(0xf4f4f4));
    if (chart.getPlot() instanceof CategoryPlot plot) {
      plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.5f);
    }
    return chart;
  }

  /** The chart as PNG bytes; sets {@code java.awt.headless} so servers and CI need no display. */
  public static byte[] png(JFreeChart chart, int width, int height) {
    System.setProperty("java.awt.headless", "true");
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(png, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  /** An {@code <img>} line of the chart at the default size, its title as alt text. */
  public static String img(JFreeChart chart) {
    return img(chart, WIDTH, HEIGHT);
  }

  /** An {@code <img>} line of the chart, its title as alt text. */
  public static String img(JFreeChart chart, int width, int height) {
    String title = chart.getTitle() == null ? "chart" : String.valueOf(chart.getTitle().getText());
    return "<img alt=\"" + escape(title) + "\" width=\"" + width + "\" height=\"" + height
        + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png(chart, width, height))
        + "\">\n";
  }

  /** HTML-escapes text for element content and attribute values. */
  public static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
