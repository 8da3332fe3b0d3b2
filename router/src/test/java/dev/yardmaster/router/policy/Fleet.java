package dev.yardmaster.router.policy;

import static dev.yardmaster.router.policy.AcceleratorKind.CPU;
import static dev.yardmaster.router.policy.AcceleratorKind.GPU;
import static dev.yardmaster.router.policy.AcceleratorKind.INFERENTIA;

/**
 * The hand-built fleet the specifications use. One model (index 0), three pools of one replica:
 *
 * <pre>
 * pool 0 gpu  $1.006/h  latency(b) = 4 ms + 0.125 ms b, max batch 32: 4.125 ms at b=1, drains 4000 rows/s
 * pool 1 inf2 $0.758/h  latency(b) = 2 ms + 0.125 ms b, max batch 16: 2.125 ms at b=1, drains 4000 rows/s
 * pool 2 cpu  $0.145/h  latency(b) = 2 ms + 1 ms b,     max batch 8:  3 ms at b=1,     drains  800 rows/s
 * </pre>
 *
 * Cost per inference within gold's budget: cpu 5.03e-8 < inf2 5.26e-8 < gpu 6.99e-8 dollars.
 */
final class Fleet {

  static final int GPU_POOL = 0;
  static final int INF_POOL = 1;
  static final int CPU_POOL = 2;

  static final ServiceCurve GPU_CURVE = ServiceCurve.linear(4_000_000, 125_000, 32, Tier.DEFAULTS);
  static final ServiceCurve INF_CURVE = ServiceCurve.linear(2_000_000, 125_000, 16, Tier.DEFAULTS);
  static final ServiceCurve CPU_CURVE = ServiceCurve.linear(2_000_000, 1_000_000, 8, Tier.DEFAULTS);

  static PoolView gpu() {
    return PoolView.idle("gpu-a10g", GPU, 1.006, 1);
  }

  static PoolView inf() {
    return PoolView.idle("inf2", INFERENTIA, 0.758, 1);
  }

  static PoolView cpu() {
    return PoolView.idle("cpu-local", CPU, 0.145, 1);
  }

  static PoolSnapshot.Builder builder(long nowNanos, PoolView gpu, PoolView inf, PoolView cpu) {
    return PoolSnapshot.builder(nowNanos)
        .add(gpu, GPU_CURVE)
        .add(inf, INF_CURVE)
        .add(cpu, CPU_CURVE);
  }

  static PoolSnapshot snapshot(PoolView gpu, PoolView inf, PoolView cpu) {
    return builder(0, gpu, inf, cpu).build();
  }

  static PoolSnapshot idle() {
    return snapshot(gpu(), inf(), cpu());
  }

  /** Every pool's queue wait is 125 ms: cpu 100 rows, inf2 and gpu 500 rows each. */
  static PoolSnapshot overloaded(boolean gpuHealthy, boolean infHealthy) {
    return snapshot(
        gpu().withQueuedRows(500).withHealthy(gpuHealthy),
        inf().withQueuedRows(500).withHealthy(infHealthy),
        cpu().withQueuedRows(100));
  }

  private Fleet() {}
}
