package dev.yardmaster.profiler.pricing;

/**
 * One source that had no price, and why.
 *
 * @param source the source's {@link PriceSource#name()}
 * @param reason why it had none
 * @param detail one line for operators: the error message, the stale date, the missing key
 */
public record PriceMiss(String source, MissReason reason, String detail) {

  /**
   * {@code source: reason (detail)}, then {@code (expected: ...)} when the operator can fix it,
   * e.g. {@code aws-price-list: credentials rejected (UnrecognizedClientException: The security
   * token included in the request is invalid.) (expected: credentials AWS accepts, ...)}.
   */
  @Override
  public String toString() {
    String text = detail.isEmpty()
        ? source + ": " + reason.label()
        : source + ": " + reason.label() + " (" + detail + ")";
    return reason.expected().isEmpty() ? text : text + " (expected: " + reason.expected() + ")";
  }
}
