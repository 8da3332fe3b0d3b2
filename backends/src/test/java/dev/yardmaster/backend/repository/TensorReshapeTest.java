package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorReshapeTest {

  @Test
  void variableDimsCarryOverInOrderBothWays() {
    TensorReshape reshape = new TensorReshape(List.of(2L, -1L, 6L), List.of(2L, -1L, 2L, 3L));

    assertThat(reshape.problem()).isEmpty();
    assertThat(reshape.toModel(new long[] {5, 2, 7, 6}, true)).containsExactly(5, 2, 7, 2, 3);
    assertThat(reshape.toClient(new long[] {5, 2, 7, 2, 3}, true)).containsExactly(5, 2, 7, 6);
    assertThat(reshape.toModel(new long[] {2, 7, 6}, false)).containsExactly(2, 7, 2, 3);
  }

  @Test
  void problemsNameTheShapes() {
    assertThat(new TensorReshape(List.of(4L), List.of(3L)).problem())
        .isEqualTo("reshape.shape: [3] (expected: as many elements as dims [4], with as many -1 dims)");
    assertThat(new TensorReshape(List.of(-1L), List.of(4L)).problem())
        .isEqualTo("reshape.shape: [4] (expected: as many elements as dims [-1], with as many -1 dims)");
    assertThat(new TensorReshape(List.of(4L), List.of(0L, 4L)).problem())
        .isEqualTo("reshape.shape: [0, 4] (expected: each dim -1 or >= 1)");
    assertThat(new TensorReshape(List.of(1L), List.of()).problem()).isEmpty();
  }

  @Test
  void fixedDimsBetweenVariableDimsHoldAsManyElementsOnBothSides() {
    // Triton's ValidateIOShape example: 2 * 4 = 8 before the -1, 6 = 1 * 6 after it
    assertThat(new TensorReshape(List.of(2L, 4L, -1L, 6L), List.of(8L, -1L, 1L, 6L)).problem()).isEmpty();
    // the same element count overall, but 2 before the -1 against 1 (Triton's reshape_variable3)
    assertThat(new TensorReshape(List.of(2L, -1L), List.of(1L, -1L, 2L)).problem()).isEqualTo(
        "reshape.shape: [1, -1, 2] (expected: the fixed dims before, between and after the -1 dims to hold as many "
            + "elements as in dims [2, -1])");
  }
}
