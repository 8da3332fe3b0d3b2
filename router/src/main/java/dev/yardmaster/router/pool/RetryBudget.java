package dev.yardmaster.router.pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Envoy's retry budget: retries in flight may not exceed {@code budgetPercent} of requests in flight,
 * with {@code minRetryConcurrency} always allowed, so retries cannot multiply an outage's load.
 */
public final class RetryBudget {

  private final double budgetPercent;
  private final int minRetryConcurrency;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicInteger activeRetries = new AtomicInteger();

  public RetryBudget(double budgetPercent, int minRetryConcurrency) {
    this.budgetPercent = budgetPercent;
    this.minRetryConcurrency = minRetryConcurrency;
  }

  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestFinished() {
    activeRequests.decrementAndGet();
  }

  /** Takes one retry permit if the budget allows; release it with {@link #releaseRetry()}. */
  public boolean tryAcquireRetry() {
    while (true) {
      int retries = activeRetries.get();
      double allowed = Math.max(minRetryConcurrency, activeRequests.get() * budgetPercent / 100.0);
      if (retries + 1 > allowed) {
        return false;
      }
      if (activeRetries.compareAndSet(retries, retries + 1)) {
        return true;
      }
    }
  }

  public void releaseRetry() {
    activeRetries.decrementAndGet();
  }

  public int activeRequests() {
    return activeRequests.get();
  }

  public int activeRetries() {
    return activeRetries.get();
  }
}
