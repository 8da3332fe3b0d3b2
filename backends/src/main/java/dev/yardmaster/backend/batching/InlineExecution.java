package dev.yardmaster.backend.batching;

import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.util.concurrent.TimeUnit;

/**
 * Whether the dynamic batcher may run a batch on the thread that submitted its request, read from
 * the model config's {@code parameters { key: "inline_execution_max_microseconds" }}: a batch runs
 * there when an instance is idle, the batch is due at once, and executions of its size have
 * recently taken at most that long. 0 (the default) always hands batches to the instance threads,
 * as Triton does.
 *
 * <p>For a model whose execution costs about as much as waking a thread, the hand-off to an
 * instance thread and back to the caller's event loop costs as much as the execution itself, and
 * a lone stream waits for both hops; running the batch inline removes them. The limit keeps a heavy batch off the caller's thread, which
 * is usually a network event loop that other connections wait on: it bounds how long one
 * submission may borrow that thread, including further batches it runs while they are due.
 *
 * @param maxNanos the longest expected execution that runs inline; 0 turns inline execution off
 */
record InlineExecution(long maxNanos) {

  /** The model config parameter's key. */
  static final String PARAMETER = "inline_execution_max_microseconds";

  static final InlineExecution OFF = new InlineExecution(0);

  InlineExecution {
    if (maxNanos < 0) {
      throw new IllegalArgumentException("maxNanos: " + maxNanos + " (expected: >= 0)");
    }
  }

  /**
   * Reads the parameter of a model config.
   *
   * @throws IllegalArgumentException when the value is not a whole number of microseconds >= 0
   */
  static InlineExecution from(ModelConfig config) {
    ModelParameter parameter = config.getParametersMap().get(PARAMETER);
    if (parameter == null) {
      return OFF;
    }
    String value = parameter.getStringValue().strip();
    long micros;
    try {
      micros = Long.parseLong(value);
    } catch (NumberFormatException notANumber) {
      micros = -1;
    }
    if (micros < 0 || micros > TimeUnit.SECONDS.toMicros(1)) {
      throw new IllegalArgumentException(String.format(
          "model '%s' config.pbtxt: parameters.%s: '%s' (expected: whole microseconds >= 0 and <= 1000000)",
          config.getName(), PARAMETER, value));
    }
    return new InlineExecution(TimeUnit.MICROSECONDS.toNanos(micros));
  }

  boolean enabled() {
    return maxNanos > 0;
  }

  /** Whether a batch expected to take {@code predictedNanos} (-1: unknown) may run inline. */
  boolean allows(long predictedNanos) {
    return predictedNanos >= 0 && predictedNanos <= maxNanos;
  }
}
