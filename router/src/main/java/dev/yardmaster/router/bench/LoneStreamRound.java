package dev.yardmaster.router.bench;

/**
 * One round of a model at c=1 with batching off and on, taken back to back so both see the machine
 * in the same state: single c=1 points of the same code measured minutes apart swung by about 0.2
 * in their on/off ratio on a shared box (wide_mlp 0.84x and 1.06x in two runs).
 *
 * @param round 1-based
 * @param off the model served with batching off
 * @param on the model served with batching on
 */
public record LoneStreamRound(int round, SweepPoint off, SweepPoint on) {

  /** The model both points served. */
  public String model() {
    return on.model();
  }

  /** Batching on over off: what the batcher costs (below 1) or gives a lone stream. */
  public double batchingOnOverOff() {
    double offRate = off.inferencesPerSecond();
    return offRate > 0 ? on.inferencesPerSecond() / offRate : 0.0;
  }
}
