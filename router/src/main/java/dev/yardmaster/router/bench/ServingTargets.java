package dev.yardmaster.router.bench;

import dev.yardmaster.backend.onnx.DemoModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

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

  /** {@link #check(List, List, List, BenchRounds)} without rounds. */
  public static List<TargetCheck> check(
      List<SweepPoint> serving, List<SweepPoint> echo, List<RawPoint> raw) {
    return check(serving, echo, raw, BenchRounds.none());
  }

  /**
   * The checks whose inputs the run has; a check needing a point the run skipped is left out. With
   * rounds, a check takes the median of its rounds' ratios, each measured back to back, instead of
   * the sweep's single points: paired rounds judge the two wide_mlp throughput checks, echo rounds
   * the served / echo check, and lone-stream rounds a model's batching on/off check at c=1.
   *
   * @param serving the sweep's model points
   * @param echo the echo points
   * @param raw the raw ONNX Runtime points
   * @param rounds the run's rounds
   */
  public static List<TargetCheck> check(List<SweepPoint> serving, List<SweepPoint> echo,
      List<RawPoint> raw, BenchRounds rounds) {
    List<PairedRound> paired = rounds.paired();
    List<EchoRound> echoRounds = rounds.echo();
    List<TargetCheck> checks = new ArrayList<>();
    int top = serving.stream().mapToInt(SweepPoint::concurrency).max().orElse(1);
    String wide = DemoModels.WIDE_MLP;
    String higgs = DemoModels.HIGGS_MLP_V1;
    if (!paired.isEmpty()) {
      PairedRound first = paired.get(0);
      String ofRounds = label(", median of %d paired rounds", paired.size());
      checks.add(medianCheck(
          label("%s batching on/off at c=%d%s", wide, first.servedOn().concurrency(), ofRounds),
          paired, PairedRound::batchingSpeedUp, round -> round.servedOn().inferencesPerSecond(),
          round -> round.servedOff().inferencesPerSecond(), BATCHING_SPEED_UP));
      checks.add(medianCheck(
          label("%s served (batching on, c=%d) / raw ORT batch %d%s", wide,
              first.servedOn().concurrency(), first.rawBatchMax().batch(), ofRounds),
          paired, PairedRound::servedOverRaw, round -> round.servedOn().inferencesPerSecond(),
          round -> round.rawBatchMax().rowsPerSecond(), SERVED_VS_RAW));
    } else {
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
    }
    Optional<SweepPoint> higgsOn = find(serving, higgs, top, true);
    Optional<SweepPoint> echoTop = find(echo, ServingSweep.ECHO_LABEL, top, false);
    if (!echoRounds.isEmpty()) {
      EchoRound first = echoRounds.get(0);
      int concurrency = first.served().concurrency();
      checks.add(medianCheck(
          label("%s served (batching on, c=%d) / echo c=%d, median of %d rounds", first.served().model(),
              concurrency, concurrency, echoRounds.size()),
          echoRounds, EchoRound::servedOverEcho, round -> round.served().inferencesPerSecond(),
          round -> round.echo().inferencesPerSecond(), SERVED_VS_ECHO));
    } else if (higgsOn.isPresent() && echoTop.isPresent()) {
      checks.add(TargetCheck.of(label("%s served (batching on, c=%d) / echo c=%d", higgs, top, top),
          higgsOn.get().inferencesPerSecond(), echoTop.get().inferencesPerSecond(),
          SERVED_VS_ECHO));
    }
    for (String model : List.of(higgs, wide)) {
      List<LoneStreamRound> lone = rounds.loneStream().stream().filter(round -> round.model().equals(model)).toList();
      Optional<SweepPoint> on = find(serving, model, 1, true);
      Optional<SweepPoint> off = find(serving, model, 1, false);
      if (!lone.isEmpty()) {
        checks.add(medianCheck(label("%s batching on/off at c=1, median of %d rounds", model, lone.size()),
            lone, LoneStreamRound::batchingOnOverOff, round -> round.on().inferencesPerSecond(),
            round -> round.off().inferencesPerSecond(), LONE_STREAM_NOT_WORSE));
      } else if (on.isPresent() && off.isPresent()) {
        checks.add(TargetCheck.of(label("%s batching on/off at c=1", model),
            on.get().inferencesPerSecond(), off.get().inferencesPerSecond(),
            LONE_STREAM_NOT_WORSE));
      }
    }
    return checks;
  }

  /** The median of the rounds' ratios, shown beside the medians of its two sides. */
  private static <T> TargetCheck medianCheck(String name, List<T> rounds, ToDoubleFunction<T> ratio,
      ToDoubleFunction<T> numerator, ToDoubleFunction<T> denominator, double target) {
    double median = Medians.of(rounds, ratio);
    return new TargetCheck(name, median, target, Medians.of(rounds, numerator), Medians.of(rounds, denominator),
        median >= target);
  }

  /**
   * What the paired rounds say about the hardware, as a line: raw ONNX Runtime's own batch-1 to
   * batch-max gain (the most batching can give on this CPU) and the served speed-up as a share of
   * it, medians over the rounds with their range. Empty without rounds.
   */
  public static Optional<String> roundsSummary(List<PairedRound> rounds) {
    if (rounds.isEmpty()) {
      return Optional.empty();
    }
    double[] gain = PairedRound.range(rounds, PairedRound::rawBatchingGain);
    double[] speedUp = PairedRound.range(rounds, PairedRound::batchingSpeedUp);
    double share = PairedRound.median(rounds, round -> round.batchingSpeedUp() / round.rawBatchingGain());
    PairedRound first = rounds.get(0);
    return Optional.of(label("%s over %d paired rounds: raw ORT batch %d / batch 1 gain median %.2fx"
            + " (%.2f..%.2f), served batching on/off median %.2fx (%.2f..%.2f), i.e. %.2f of raw's gain%n",
        first.servedOn().model(), rounds.size(), first.rawBatchMax().batch(),
        PairedRound.median(rounds, PairedRound::rawBatchingGain), gain[0], gain[1],
        PairedRound.median(rounds, PairedRound::batchingSpeedUp), speedUp[0], speedUp[1], share)
        + atServedBatch(rounds));
  }

  /**
   * The informational line on served over raw at the batch the server really executed (not a
   * target: the target compares with the largest batch); empty when no round has that raw point.
   */
  private static String atServedBatch(List<PairedRound> rounds) {
    List<PairedRound> measured = rounds.stream().filter(round -> round.rawAtServedBatch() != null).toList();
    if (measured.isEmpty()) {
      return "";
    }
    double[] ratio = PairedRound.range(measured, PairedRound::servedOverRawAtServedBatch);
    return label("served (batching on) / raw ORT at the batch the server executed (median %.1f rows): median %.2fx"
            + " (%.2f..%.2f), against %.2fx of raw at batch %d%n",
        PairedRound.median(measured, round -> round.servedOn().serverBatch()),
        PairedRound.median(measured, PairedRound::servedOverRawAtServedBatch), ratio[0], ratio[1],
        PairedRound.median(measured, PairedRound::servedOverRaw), measured.get(0).rawBatchMax().batch())
        + factors(measured);
  }

  /**
   * The line splitting served / raw at the largest batch into its three factors (medians over the
   * rounds, so their product need not equal the ratio's median exactly); empty without the
   * server's per-execution time.
   */
  private static String factors(List<PairedRound> measured) {
    List<PairedRound> timed = measured.stream().filter(round -> !Double.isNaN(round.instanceBusy())).toList();
    if (timed.isEmpty()) {
      return "";
    }
    return label("  = instance busy %.2f (the serving path's share) x compute speed under load %.2f (the machine)"
            + " x batch shape %.2f (the load's batch on this CPU), medians%n",
        PairedRound.median(timed, PairedRound::instanceBusy),
        PairedRound.median(timed, PairedRound::computeSpeedUnderLoad),
        PairedRound.median(timed, PairedRound::batchShape));
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
