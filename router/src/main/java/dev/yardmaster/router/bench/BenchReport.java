package dev.yardmaster.router.bench;

import java.util.List;

/**
 * What {@code yardmaster bench} writes to {@code target/bench/serving-*.json}: every measurement
 * of one run, side by side, and the budget checks computed from them.
 *
 * @param createdAt when the run finished, ISO-8601 UTC
 * @param machine where it ran
 * @param settings how long each part ran
 * @param serving model points, batching off then on
 * @param echo bare echo RPC points, same server stack and message size
 * @param raw in-process ONNX Runtime points
 * @param rounds wide_mlp's paired rounds at the top concurrency (raw batch 1 and max, served off
 *     and on, back to back), which the wide_mlp checks take their medians from
 * @param echoRounds higgs_mlp_v1 served (batching on) and the echo RPC at the top concurrency, back
 *     to back, which the served / echo check takes its median from
 * @param loneStreamRounds each model at c=1 with batching off and on, back to back, which the
 *     c=1 checks take their medians from
 * @param fillRounds wide_mlp's paired rounds at twice the max batch size, a load that fills the
 *     batcher's batches (informational: no check reads them); empty when not run
 * @param checks the DESIGN.md serving budgets
 */
public record BenchReport(
    String createdAt,
    Machine machine,
    Settings settings,
    List<SweepPoint> serving,
    List<SweepPoint> echo,
    List<RawPoint> raw,
    List<PairedRound> rounds,
    List<EchoRound> echoRounds,
    List<LoneStreamRound> loneStreamRounds,
    List<PairedRound> fillRounds,
    List<TargetCheck> checks) {

  public BenchReport {
    serving = List.copyOf(serving);
    echo = List.copyOf(echo);
    raw = List.copyOf(raw);
    rounds = List.copyOf(rounds);
    echoRounds = List.copyOf(echoRounds);
    loneStreamRounds = List.copyOf(loneStreamRounds);
    fillRounds = List.copyOf(fillRounds);
    checks = List.copyOf(checks);
  }

  /**
   * The machine, so numbers from different boxes are not compared by mistake.
   *
   * @param availableProcessors cores the JVM sees
   * @param maxHeapBytes the JVM's heap limit
   * @param javaVersion {@code java.version}
   * @param osArch {@code os.arch}
   */
  public record Machine(
      int availableProcessors, long maxHeapBytes, String javaVersion, String osArch) {

    /** This JVM's machine. */
    public static Machine current() {
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory(),
          System.getProperty("java.version", "?"),
          System.getProperty("os.arch", "?"));
    }
  }

  /**
   * The run's settings.
   *
   * @param warmUpSeconds unrecorded load before each served point
   * @param measureSeconds each served point's window
   * @param rawWarmUpSeconds unrecorded raw runs per raw point
   * @param rawMeasureSeconds each raw point's window
   * @param intraOpThreads ONNX Runtime intra-op threads (served and raw alike)
   * @param interOpThreads ONNX Runtime inter-op threads (served and raw alike)
   */
  public record Settings(
      double warmUpSeconds,
      double measureSeconds,
      double rawWarmUpSeconds,
      double rawMeasureSeconds,
      int intraOpThreads,
      int interOpThreads) {}
}
