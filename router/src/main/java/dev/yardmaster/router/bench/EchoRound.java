package dev.yardmaster.router.bench;

/**
 * One round of the transport-bound model against the bare echo RPC, taken back to back at the
 * same concurrency so both see the machine in the same state: a single served point and a single
 * echo point measured minutes apart can differ by a third on a shared box (echo 64k and 84k req/s
 * at c=64 in two runs of the same code).
 *
 * @param round 1-based
 * @param served the model served with batching on
 * @param echo the bare echo RPC on the same server stack, with the same request size
 */
public record EchoRound(int round, SweepPoint served, SweepPoint echo) {

  /** Served over echo: what the model costs on top of the transport. */
  public double servedOverEcho() {
    double echoRate = echo.inferencesPerSecond();
    return echoRate > 0 ? served.inferencesPerSecond() / echoRate : 0.0;
  }
}
