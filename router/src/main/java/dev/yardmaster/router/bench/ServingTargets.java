package dev.yardmaster.router.bench;

import dev.yardmaster.backend.onnx.DemoModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The serving budgets of DESIGN.md checked against one bench run's measurements: batching pays on
 * the compute-heavy model, serving wastes little of the raw compute, the transport-bound model
 * gets close to the bare echo RPC, and batching costs nothing for a lone stream.
 */
public final class ServingTargets {

  /** wide_mlp batching on over off at the highest concurrency. */
  public static final double BATCHING_SPEED_UP = 4.0;
  /** wide_mlp served (batching on) over raw ONNX Runtime at batch 64. */
  public static final double SERVED_VS_RAW = 0.8;
  /** higgs_mlp_v1 served (batching on) over the bare echo RPC. */
  public static final double SERVED_VS_ECHO = 0.6;
  /** batching on over off at c=1: not worse, within noise. */
  public static final double LONE_STREAM_NOT_WORSE = 0.9;

  private ServingTargets() {}

  /**
   * The checks whose inputs the run has; a check needing a point the run skipped is left out.
   *
   * @param serving the sweep's model points
   * @param echo the echo points
   * @param raw the raw ONNX Runtime points
   */
  public static List<TargetCheck> check(
      List<SweepPoint> serving, List<SweepPoint> echo, List<RawPoint> raw) {
    List<TargetCheck> checks = new ArrayList<>();
    int top = serving.stream().mapToInt(SweepPoint::concurrency).max().orElse(1);
    String wide = DemoModels.WIDE_MLP;
    String higgs = DemoModels.HIGGS_MLP_V1;
    Optional<SweepPoint> wideOn = find(serving, wide, top, true);
    Optional<SweepPoint> wideOff = find(serving, wide, top, false);
    if (wideOn.isPresent() && wideOff.isPresent()) {
      checks.add(TargetCheck.of(label("%s batching on/off at c=%d", wide, top),
          wideOn.get().inferencesPerSecond(), wideOff.get().inferencesPerSecond(),
          BATCHING_SPEED_UP));
    }
    Optional<RawPoint> wideRaw = raw.stream()
        .filter(point -> point.model().equals(wide))
        .max((a, b) -> Integer.compare(a.batch(), b.batch()));
    if (wideOn.isPresent() && wideRaw.isPresent()) {
      checks.add(TargetCheck.of(
          label("%s served (batching on, c=%d) / raw ORT batch %d", wide, top, wideRaw.get().batch()),
          wideOn.get().inferencesPerSecond(), wideRaw.get().rowsPerSecond(), SERVED_VS_RAW));
    }
    Optional<SweepPoint> higgsOn = find(serving, higgs, top, true);
    Optional<SweepPoint> echoTop = find(echo, ServingSweep.ECHO_LABEL, top, false);
    if (higgsOn.isPresent() && echoTop.isPresent()) {
      checks.add(TargetCheck.of(label("%s served (batching on, c=%d) / echo c=%d", higgs, top, top),
          higgsOn.get().inferencesPerSecond(), echoTop.get().inferencesPerSecond(),
          SERVED_VS_ECHO));
    }
    for (String model : List.of(higgs, wide)) {
      Optional<SweepPoint> on = find(serving, model, 1, true);
      Optional<SweepPoint> off = find(serving, model, 1, false);
      if (on.isPresent() && off.isPresent()) {
        checks.add(TargetCheck.of(label("%s batching on/off at c=1", model),
            on.get().inferencesPerSecond(), off.get().inferencesPerSecond(),
            LONE_STREAM_NOT_WORSE));
      }
    }
    return checks;
  }

  /**
   * higgs_mlp_v1 served (batching on) against echo at the top concurrency by process CPU per
   * request, as a line: echo's CPU over served's is the throughput ratio a machine where both are
   * CPU bound and nothing else runs would show, so it reads the same on a busy machine. Empty when
   * a point or its CPU measurement is missing.
   */
  public static Optional<String> servedVsEchoByCpu(List<SweepPoint> serving, List<SweepPoint> echo) {
    int top = serving.stream().mapToInt(SweepPoint::concurrency).max().orElse(1);
    Optional<SweepPoint> served = find(serving, DemoModels.HIGGS_MLP_V1, top, true);
    Optional<SweepPoint> bare = find(echo, ServingSweep.ECHO_LABEL, top, false);
    if (served.isEmpty() || bare.isEmpty()) {
      return Optional.empty();
    }
    double servedMicros = served.get().cpuMicrosPerRequest();
    double echoMicros = bare.get().cpuMicrosPerRequest();
    if (!(servedMicros > 0) || !(echoMicros > 0)) {
      return Optional.empty();
    }
    return Optional.of(label("%.2fx  %s served (batching on, c=%d) / echo by CPU per request  [echo %.1f us / served %.1f us]%n",
        echoMicros / servedMicros, DemoModels.HIGGS_MLP_V1, top, echoMicros, servedMicros));
  }

  /** The checks as aligned text lines: ratio, target, PASS or FAIL, name. */
  public static String render(List<TargetCheck> checks) {
    StringBuilder out = new StringBuilder();
    for (TargetCheck check : checks) {
      out.append(String.format(Locale.ROOT, "%-4s  %6.2fx  (target >= %.1fx)  %s  [%.0f vs %.0f]%n",
          check.passed() ? "PASS" : "FAIL", check.ratio(), check.target(), check.name(),
          check.numerator(), check.denominator()));
    }
    return out.toString();
  }

  static Optional<SweepPoint> find(
      List<SweepPoint> points, String model, int concurrency, boolean batching) {
    return points.stream()
        .filter(p -> p.model().equals(model) && p.concurrency() == concurrency
            && p.batching() == batching)
        .findFirst();
  }

  private static String label(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
