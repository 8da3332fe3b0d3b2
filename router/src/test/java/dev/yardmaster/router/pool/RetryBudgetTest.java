package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void allowsTheMinimumConcurrencyWhateverTheLoad() {
    RetryBudget budget = new RetryBudget(20, 3);
    budget.requestStarted();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.releaseRetry();
    assertThat(budget.tryAcquireRetry()).isTrue();
  }

  @Test
  void allowsTwentyPercentOfActiveRequestsAboveTheMinimum() {
    RetryBudget budget = new RetryBudget(20, 3);
    for (int i = 0; i < 50; i++) {
      budget.requestStarted();
    }
    int granted = 0;
    while (budget.tryAcquireRetry()) {
      granted++;
    }
    assertThat(granted).isEqualTo(10);
    assertThat(budget.activeRetries()).isEqualTo(10);
  }
}
