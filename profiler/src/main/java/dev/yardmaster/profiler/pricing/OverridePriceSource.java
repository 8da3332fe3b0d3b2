package dev.yardmaster.profiler.pricing;

import java.time.LocalDate;
import java.util.Map;

/** Operator-set prices per pool. */
final class OverridePriceSource implements PriceSource {

  private final Map<String, Double> usdPerHourByPool;
  private final LocalDate asOf;

  OverridePriceSource(Map<String, Double> usdPerHourByPool, LocalDate asOf) {
    usdPerHourByPool.forEach(
        (pool, usd) -> {
          if (usd == null || !Double.isFinite(usd) || usd < 0) {
            throw new IllegalArgumentException(
                "pools." + pool + ".price_per_hour: " + usd + " (expected: finite and >= 0)");
          }
        });
    this.usdPerHourByPool = Map.copyOf(usdPerHourByPool);
    this.asOf = asOf;
  }

  @Override
  public String name() {
    return PriceOrigin.OVERRIDE.label();
  }

  @Override
  public PriceLookup lookup(PriceRequest request) {
    Double usd = usdPerHourByPool.get(request.pool());
    if (usd == null) {
      return PriceLookup.missed(name(), MissReason.NOT_CONFIGURED, "");
    }
    return PriceLookup.found(
        new InstancePrice(
            request.instanceType(), request.region(), usd, PriceOrigin.OVERRIDE, asOf));
  }
}
