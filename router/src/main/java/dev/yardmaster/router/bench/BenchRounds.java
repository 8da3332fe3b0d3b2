package dev.yardmaster.router.bench;

import java.util.List;

/**
 * The rounds of one bench run that the targets take their medians from, each round measured back
 * to back (every other one in reverse order) so a machine whose speed drifts favours neither side
 * of a ratio.
 *
 * @param paired wide_mlp's paired rounds at the top concurrency, or none
 * @param echo higgs_mlp_v1 served against the echo RPC at the top concurrency, or none
 * @param loneStream each model at c=1 with batching off and on, or none
 */
public record BenchRounds(List<PairedRound> paired, List<EchoRound> echo, List<LoneStreamRound> loneStream) {

  public BenchRounds {
    paired = List.copyOf(paired);
    echo = List.copyOf(echo);
    loneStream = List.copyOf(loneStream);
  }

  /** No rounds: the targets read the sweep's single points. */
  public static BenchRounds none() {
    return new BenchRounds(List.of(), List.of(), List.of());
  }
}
