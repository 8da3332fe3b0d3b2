package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate alone, on one thread: which completions run when. */
class ResponseOrderTest {
  private final ResponseOrder order = new ResponseOrder();
  private final List<String> released = new ArrayList<>();

  private Runnable record(String batch) {
    return () -> released.add(batch);
  }

  @Test
  void numbersBatchesFromZero() {
    assertThat(order.nextSequence()).isZero();
    assertThat(order.nextSequence()).isEqualTo(1);
    assertThat(order.nextSequence()).isEqualTo(2);
  }

  @Test
  void aBatchFinishingInTurnIsReleasedAtOnce() {
    order.finish(order.nextSequence(), record("a"));
    order.finish(order.nextSequence(), record("b"));

    assertThat(released).containsExactly("a", "b");
    assertThat(order.isEmpty()).isTrue();
  }

  @Test
  void laterBatchesWaitForTheEarliestThenLeaveInOrder() {
    long first = order.nextSequence();
    long second = order.nextSequence();
    long third = order.nextSequence();

    order.finish(third, record("c"));
    order.finish(second, record("b"));
    assertThat(released).isEmpty();

    order.finish(first, record("a"));
    assertThat(released).containsExactly("a", "b", "c");
    assertThat(order.isEmpty()).isTrue();
  }

  @Test
  void aBatchFinishedFromAReleasedCompletionRunsAfterItNotInside() {
    long first = order.nextSequence();
    long second = order.nextSequence();

    order.finish(first, () -> {
      released.add("a starts");
      order.finish(second, record("b"));
      released.add("a ends");
    });

    assertThat(released).containsExactly("a starts", "a ends", "b");
  }

  @Test
  void releaseAllSkipsABatchThatNeverFinishedAndLetsItRunWhenItComesLate() {
    long lost = order.nextSequence();
    long held = order.nextSequence();
    order.finish(held, record("b"));

    order.releaseAll();
    assertThat(released).containsExactly("b");

    order.finish(lost, record("a, late"));
    order.finish(order.nextSequence(), record("c"));
    assertThat(released).containsExactly("b", "a, late", "c");
    assertThat(order.isEmpty()).isTrue();
  }

  @Test
  void aCompletionThatThrowsLeavesTheRestToTheNextFinish() {
    long first = order.nextSequence();
    long second = order.nextSequence();
    order.finish(second, record("b"));

    assertThatThrownBy(() -> order.finish(first, () -> {
      throw new IllegalStateException("bug in a completion");
    })).as("the thread that finished the batch sees it").isInstanceOf(IllegalStateException.class);
    order.finish(order.nextSequence(), record("c"));

    assertThat(released).containsExactly("b", "c");
  }
}
