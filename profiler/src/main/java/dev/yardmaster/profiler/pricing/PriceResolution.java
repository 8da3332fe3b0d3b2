package dev.yardmaster.profiler.pricing;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the resolver found for one request: the price (when any source had it) and every miss before
 * it, in chain order.
 *
 * @param request what was asked
 * @param price the winning price, or null when every source missed
 * @param misses the sources tried before the winner (all of them when nothing was found)
 */
public record PriceResolution(
    PriceRequest request, @Nullable InstancePrice price, List<PriceMiss> misses) {

  /** Copies the misses. */
  public PriceResolution {
    misses = List.copyOf(misses);
  }

  /** The price, when found. */
  public Optional<InstancePrice> found() {
    return Optional.ofNullable(price);
  }

  /** Misses worth telling an operator about (an absent override is not). */
  public List<PriceMiss> reportableMisses() {
    return misses.stream().filter(m -> m.reason() != MissReason.NOT_CONFIGURED).toList();
  }
}
