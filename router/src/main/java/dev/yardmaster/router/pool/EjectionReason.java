package dev.yardmaster.router.pool;

import java.util.Locale;

/** Why outlier detection ejected an endpoint; the {@code reason} label of the ejection metrics. */
public enum EjectionReason {
  /** {@code consecutive_failures} failures in a row. */
  CONSECUTIVE_FAILURES,
  /** A success rate far below the pool's over one interval. */
  SUCCESS_RATE;

  /** {@code consecutive_failures}, {@code success_rate}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
