package dev.yardmaster.sim;

import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.ServiceCurve;

/**
 * One simulated pool: hardware, price, the model's service curve on one replica, the dynamic
 * batcher's max queue delay, and the replica range the fleet search may use.
 *
 * @param id pool name, as in the router config
 * @param accelerator hardware kind
 * @param instanceType e.g. {@code g5.xlarge}, for reports
 * @param pricePerHour dollars per replica-hour
 * @param curve latency per batch size on one replica; its max batch is the batcher's max batch
 * @param maxQueueDelayNanos how long an idle replica waits for a fuller batch (Triton's
 *     {@code max_queue_delay_microseconds})
 * @param minReplicas fewest replicas a fleet may have
 * @param maxReplicas most replicas a fleet may have
 */
public record PoolSpec(String id, AcceleratorKind accelerator, String instanceType,
    double pricePerHour, ServiceCurve curve, long maxQueueDelayNanos, int minReplicas,
    int maxReplicas) {

  public PoolSpec {
    if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
      throw new IllegalArgumentException(
          "pool '" + id + "' price_per_hour: " + pricePerHour + " (expected: >= 0 and finite)");
    }
    if (maxQueueDelayNanos < 0) {
      throw new IllegalArgumentException("pool '" + id + "' max_queue_delay_nanos: "
          + maxQueueDelayNanos + " (expected: >= 0)");
    }
    if (minReplicas < 0 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException("pool '" + id + "' replicas: {min: " + minReplicas
          + ", max: " + maxReplicas + "} (expected: 0 <= min <= max)");
    }
  }
}
