package dev.yardmaster.router.bench;

/**
 * One serving budget from DESIGN.md, measured.
 *
 * @param name what is compared, e.g. {@code wide_mlp batching on/off at c=64}
 * @param ratio the measured ratio (numerator over denominator)
 * @param target the ratio the budget asks for at least
 * @param numerator the measured value on top, e.g. inferences per second with batching
 * @param denominator the measured value below
 * @param passed whether {@code ratio >= target}
 */
public record TargetCheck(
    String name, double ratio, double target, double numerator, double denominator,
    boolean passed) {

  /** A check of {@code numerator / denominator >= target}; a zero denominator fails. */
  public static TargetCheck of(String name, double numerator, double denominator, double target) {
    double ratio = denominator > 0 ? numerator / denominator : 0.0;
    return new TargetCheck(name, ratio, target, numerator, denominator, ratio >= target);
  }
}
