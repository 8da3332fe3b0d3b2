package dev.yardmaster.profiler.pricing;

/**
 * What to price: a pool's instance type in a region; the pool name selects its override.
 *
 * @param pool pool name from the config, e.g. {@code gpu-a10g}
 * @param instanceType EC2 instance type
 * @param region AWS region code
 */
public record PriceRequest(String pool, String instanceType, String region) {

  /** The region Yardmaster prices in when a config names none. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** Validates the names. */
  public PriceRequest {
    if (pool.isBlank()) {
      throw new IllegalArgumentException("pool: '" + pool + "' (expected: a pool name)");
    }
    if (instanceType.isBlank()) {
      throw new IllegalArgumentException(
          "instanceType: '" + instanceType + "' (expected: an instance type like g5.xlarge)");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException(
          "region: '" + region + "' (expected: a region code like us-east-1)");
    }
  }

  /** A request in {@link #DEFAULT_REGION}. */
  public static PriceRequest of(String pool, String instanceType) {
    return new PriceRequest(pool, instanceType, DEFAULT_REGION);
  }
}
