package dev.yardmaster.router.bench;

import java.util.List;

/**
 * What {@code yardmaster demo} writes to {@code target/demo/demo-*.json}.
 *
 * @param createdAt when the run finished, ISO-8601 UTC
 * @param warmUpSeconds unrecorded load before each point
 * @param measureSeconds each point's measurement window
 * @param serving every model point, batching off then on
 */
public record DemoReport(
    String createdAt, double warmUpSeconds, double measureSeconds, List<SweepPoint> serving) {

  public DemoReport {
    serving = List.copyOf(serving);
  }
}
