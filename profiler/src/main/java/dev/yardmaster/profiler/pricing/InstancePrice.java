package dev.yardmaster.profiler.pricing;

import java.time.LocalDate;

/**
 * The on-demand hourly price of one instance type in one region.
 *
 * @param instanceType EC2 instance type, e.g. {@code g5.xlarge}
 * @param region AWS region code, e.g. {@code us-east-1}
 * @param usdPerHour price in US dollars per instance-hour, finite and >= 0
 * @param origin where the number came from
 * @param asOf the date the price was published or recorded
 */
public record InstancePrice(
    String instanceType, String region, double usdPerHour, PriceOrigin origin, LocalDate asOf) {

  /** Validates the price and names. */
  public InstancePrice {
    if (instanceType.isBlank()) {
      throw new IllegalArgumentException(
          "instanceType: '" + instanceType + "' (expected: an instance type like g5.xlarge)");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException(
          "region: '" + region + "' (expected: a region code like us-east-1)");
    }
    if (!Double.isFinite(usdPerHour) || usdPerHour < 0) {
      throw new IllegalArgumentException(
          "usdPerHour: " + usdPerHour + " (expected: finite and >= 0)");
    }
  }

  /** The same price, marked as coming from {@code newOrigin}. */
  public InstancePrice withOrigin(PriceOrigin newOrigin) {
    return new InstancePrice(instanceType, region, usdPerHour, newOrigin, asOf);
  }
}
