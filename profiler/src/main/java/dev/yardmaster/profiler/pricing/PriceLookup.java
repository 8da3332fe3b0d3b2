package dev.yardmaster.profiler.pricing;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One source's answer: a price, or a miss with its reason. Exactly one of the two is present. */
public final class PriceLookup {

  private final @Nullable InstancePrice price;
  private final @Nullable PriceMiss miss;

  private PriceLookup(@Nullable InstancePrice price, @Nullable PriceMiss miss) {
    this.price = price;
    this.miss = miss;
  }

  /** The source has a price. */
  public static PriceLookup found(InstancePrice price) {
    return new PriceLookup(price, null);
  }

  /** The source has no price, for {@code reason}. */
  public static PriceLookup missed(String source, MissReason reason, String detail) {
    return new PriceLookup(null, new PriceMiss(source, reason, detail));
  }

  /** The price, when found. */
  public Optional<InstancePrice> price() {
    return Optional.ofNullable(price);
  }

  /** The miss, when not found. */
  public Optional<PriceMiss> miss() {
    return Optional.ofNullable(miss);
  }

  @Override
  public String toString() {
    return price != null ? "found " + price : "missed " + miss;
  }
}
