package dev.yardmaster.router.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sweep and raw results as aligned text tables. In the serving table every batching-on row carries
 * its speed-up over the batching-off row of the same model and concurrency:
 *
 * <pre>
 * model         c  batching  inf/s  p50 ms  p99 ms  errors  speed-up
 * wide_mlp     64  off         610  104.10  120.33       0
 * wide_mlp     64  on         3050   20.80   25.10       0     5.00x
 * </pre>
 */
public final class SweepTables {

  private SweepTables() {}

  /** The serving (or echo) points, one line each. */
  public static String serving(List<SweepPoint> points) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"model", "c", "batching", "inf/s", "p50 ms", "p99 ms", "errors",
        "cpu us/req", "srv batch", "speed-up"});
    for (SweepPoint point : points) {
      String speedUp = "";
      if (point.batching()) {
        speedUp = ServingTargets.find(points, point.model(), point.concurrency(), false)
            .filter(off -> off.inferencesPerSecond() > 0)
            .map(off -> format("%.2fx", point.inferencesPerSecond() / off.inferencesPerSecond()))
            .orElse("");
      }
      boolean echo = point.model().equals(ServingSweep.ECHO_LABEL);
      lines.add(new String[] {
          point.model(),
          Integer.toString(point.concurrency()),
          echo ? "-" : point.batching() ? "on" : "off",
          format("%.0f", point.inferencesPerSecond()),
          format("%.3f", point.result().p50Ms()),
          format("%.3f", point.result().p99Ms()),
          Long.toString(point.result().totalErrors()),
          Double.isNaN(point.cpuMicrosPerRequest()) ? "-" : format("%.1f", point.cpuMicrosPerRequest()),
          serverBatch(point),
          speedUp});
    }
    return align(lines);
  }

  /** The raw ONNX Runtime points, one line each. */
  public static String raw(List<RawPoint> points) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"model", "batch", "rows/s", "ms/run", "runs"});
    for (RawPoint point : points) {
      lines.add(new String[] {
          point.model(),
          Integer.toString(point.batch()),
          format("%.0f", point.rowsPerSecond()),
          format("%.3f", point.meanRunMs()),
          Long.toString(point.runs())});
    }
    return align(lines);
  }

  /** Paired rounds, one line each: the raw and served throughputs and the round's ratios. */
  public static String rounds(List<PairedRound> rounds) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"round", "raw b1 rows/s", "raw bmax rows/s", "raw gain", "off inf/s",
        "on inf/s", "on srv batch", "on/off", "on/raw", "raw at srv batch", "on/raw at srv batch", "busy",
        "speed under load", "batch shape"});
    for (PairedRound round : rounds) {
      lines.add(new String[] {
          Integer.toString(round.round()),
          format("%.0f", round.rawBatch1().rowsPerSecond()),
          format("%.0f", round.rawBatchMax().rowsPerSecond()),
          format("%.2fx", round.rawBatchingGain()),
          format("%.0f", round.servedOff().inferencesPerSecond()),
          format("%.0f", round.servedOn().inferencesPerSecond()),
          serverBatch(round.servedOn()),
          format("%.2fx", round.batchingSpeedUp()),
          format("%.2f", round.servedOverRaw()),
          round.rawAtServedBatch() == null ? "-" : format("%.0f", round.rawAtServedBatch().rowsPerSecond()),
          round.rawAtServedBatch() == null ? "-" : format("%.2f", round.servedOverRawAtServedBatch()),
          factor(round.instanceBusy()),
          factor(round.computeSpeedUnderLoad()),
          factor(round.batchShape())});
    }
    return align(lines);
  }

  /** Echo rounds, one line each: the served and echo throughputs and their ratio. */
  public static String echoRounds(List<EchoRound> rounds) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"round", "served inf/s", "srv batch", "echo inf/s", "served/echo"});
    for (EchoRound round : rounds) {
      lines.add(new String[] {
          Integer.toString(round.round()),
          format("%.0f", round.served().inferencesPerSecond()),
          serverBatch(round.served()),
          format("%.0f", round.echo().inferencesPerSecond()),
          format("%.2f", round.servedOverEcho())});
    }
    return align(lines);
  }

  /** Lone-stream rounds, one line each: the model's c=1 throughputs with batching off and on. */
  public static String loneStreamRounds(List<LoneStreamRound> rounds) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"round", "model", "off inf/s", "on inf/s", "on p50 ms", "srv batch", "on/off"});
    for (LoneStreamRound round : rounds) {
      lines.add(new String[] {
          Integer.toString(round.round()),
          round.model(),
          format("%.0f", round.off().inferencesPerSecond()),
          format("%.0f", round.on().inferencesPerSecond()),
          format("%.3f", round.on().result().p50Ms()),
          serverBatch(round.on()),
          format("%.2f", round.batchingOnOverOff())});
    }
    return align(lines);
  }

  /** A factor to two decimals, or "-" when unknown. */
  private static String factor(double value) {
    return Double.isNaN(value) ? "-" : format("%.2f", value);
  }

  /** The mean batch the server executed over the point, or "-" where it did not say. */
  private static String serverBatch(SweepPoint point) {
    return Double.isNaN(point.serverBatch()) ? "-" : format("%.1f", point.serverBatch());
  }

  /** First column left-aligned, the rest right-aligned, two spaces between columns. */
  private static String align(List<String[]> lines) {
    int columns = lines.get(0).length;
    int[] widths = new int[columns];
    for (String[] line : lines) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String pad = " ".repeat(widths[c] - line[c].length());
        text.append(c == 0 ? line[c] + pad : "  " + pad + line[c]);
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
