package dev.yardmaster.profiler.pricing;

/**
 * One source that had no price, and why.
 *
 * @param source the source's {@link PriceSource#name()}
 * @param reason why it had none
 * @param detail one line for operators: the error message, the stale date, the missing key
 */
public record PriceMiss(String source, MissReason reason, String detail) {

  @Override
  public String toString() {
    return detail.isEmpty()
        ? source + ": " + reason.label()
        : source + ": " + reason.label() + " (" + detail + ")";
  }
}
