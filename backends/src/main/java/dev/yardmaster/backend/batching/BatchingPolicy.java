package dev.yardmaster.backend.batching;

import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelQueuePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The dynamic batcher's settings, read from a model config with Triton's meanings.
 *
 * @param maxBatchSize the largest batch, in rows (>= 1)
 * @param preferredBatchSizes preferred batch sizes in rows, ascending, without duplicates
 * @param maxQueueDelayNanos how long the oldest request may wait for a batch to grow; 0 sends at once
 * @param priorityLevels number of levels, 1 is the highest (a config value of 0 means one level)
 * @param defaultPriorityLevel the level of requests that ask for none
 * @param queuePolicies the queue policy of each level, index 0 holding level 1
 * @param preserveOrdering whether responses leave in the order requests were handed to batches,
 *     even when a later batch finishes first on another instance ({@link ResponseOrder})
 */
public record BatchingPolicy(
    int maxBatchSize,
    List<Integer> preferredBatchSizes,
    long maxQueueDelayNanos,
    int priorityLevels,
    int defaultPriorityLevel,
    List<QueuePolicy> queuePolicies,
    boolean preserveOrdering) {

  /** What happens to a request whose queue timeout passes (Triton's {@code timeout_action}). */
  public enum TimeoutAction {
    /** The request fails. */
    REJECT,
    /** The request stays queued, behind every request of its level that has not timed out. */
    DELAY
  }

  /**
   * The queue policy of one priority level.
   *
   * @param timeoutAction what to do when a request's queue timeout passes
   * @param defaultTimeoutNanos queue timeout of requests that ask for none; 0 is no timeout
   * @param allowTimeoutOverride whether a request's own timeout replaces the default when shorter
   * @param maxQueueSize most requests queued at this level; 0 is unbounded
   */
  public record QueuePolicy(
      TimeoutAction timeoutAction, long defaultTimeoutNanos, boolean allowTimeoutOverride, int maxQueueSize) {

    /** Triton's default: reject, no timeout, no override, unbounded. */
    public static final QueuePolicy DEFAULT = new QueuePolicy(TimeoutAction.REJECT, 0, false, 0);

    public QueuePolicy {
      if (defaultTimeoutNanos < 0) {
        throw new IllegalArgumentException("defaultTimeoutNanos: " + defaultTimeoutNanos + " (expected: >= 0)");
      }
      if (maxQueueSize < 0) {
        throw new IllegalArgumentException("maxQueueSize: " + maxQueueSize + " (expected: >= 0)");
      }
    }

    /**
     * The queue timeout of a request asking for {@code requestTimeoutNanos} (0 for the default).
     * As in Triton ({@code PriorityQueue::PolicyQueue::Enqueue}) an override may only shorten the
     * default: a longer one is ignored, and so is any one when the default is 0 (no timeout).
     */
    public long timeoutNanos(long requestTimeoutNanos) {
      return allowTimeoutOverride && requestTimeoutNanos > 0 && requestTimeoutNanos < defaultTimeoutNanos
          ? requestTimeoutNanos : defaultTimeoutNanos;
    }
  }

  // Largest microsecond count that still fits in a long of nanoseconds.
  private static final long MAX_MICROS = Long.MAX_VALUE / 1_000;

  public BatchingPolicy {
    preferredBatchSizes = List.copyOf(new TreeSet<>(preferredBatchSizes));
    queuePolicies = List.copyOf(queuePolicies);
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize: " + maxBatchSize + " (expected: >= 1)");
    }
    if (!preferredBatchSizes.isEmpty()
        && (preferredBatchSizes.get(0) < 1 || preferredBatchSizes.get(preferredBatchSizes.size() - 1) > maxBatchSize)) {
      throw new IllegalArgumentException(
          "preferredBatchSizes: " + preferredBatchSizes + " (expected: each >= 1 and <= " + maxBatchSize + ")");
    }
    if (maxQueueDelayNanos < 0) {
      throw new IllegalArgumentException("maxQueueDelayNanos: " + maxQueueDelayNanos + " (expected: >= 0)");
    }
    if (priorityLevels < 1) {
      throw new IllegalArgumentException("priorityLevels: " + priorityLevels + " (expected: >= 1)");
    }
    if (defaultPriorityLevel < 1 || defaultPriorityLevel > priorityLevels) {
      throw new IllegalArgumentException(
          "defaultPriorityLevel: " + defaultPriorityLevel + " (expected: >= 1 and <= " + priorityLevels + ")");
    }
    if (queuePolicies.size() != priorityLevels) {
      throw new IllegalArgumentException(
          "queuePolicies: " + queuePolicies.size() + " levels (expected: " + priorityLevels + ")");
    }
  }

  /**
   * One level, no preferred sizes, no delay, default queue policy, any order: batches whatever is
   * queued.
   */
  public static BatchingPolicy simple(int maxBatchSize) {
    return new BatchingPolicy(maxBatchSize, List.of(), 0, 1, 1, List.of(QueuePolicy.DEFAULT), false);
  }

  /** The largest preferred size, or the max batch size when none is preferred. */
  public int maxPreferredBatchSize() {
    return preferredBatchSizes.isEmpty() ? maxBatchSize : preferredBatchSizes.get(preferredBatchSizes.size() - 1);
  }

  /** The level of a request's priority: 0 and values above the last level mean the default, as in Triton. */
  public int level(int requestPriority) {
    return requestPriority < 1 || requestPriority > priorityLevels ? defaultPriorityLevel : requestPriority;
  }

  /** The queue policy of a level (1-based). */
  public QueuePolicy queuePolicy(int level) {
    return queuePolicies.get(level - 1);
  }

  /**
   * Reads and validates {@code max_batch_size} and {@code dynamic_batching}, reporting every
   * problem at once.
   *
   * @throws IllegalArgumentException naming each bad field, its value and what was expected
   */
  public static BatchingPolicy from(ModelConfig config) {
    List<String> problems = new ArrayList<>();
    ModelDynamicBatching batching = config.getDynamicBatching();
    int maxBatchSize = config.getMaxBatchSize();
    if (maxBatchSize < 1) {
      problems.add("max_batch_size: " + maxBatchSize + " (expected: >= 1 for dynamic_batching)");
    }
    List<Integer> preferred = new ArrayList<>();
    for (int size : batching.getPreferredBatchSizeList()) {
      if (size < 1) {
        problems.add("dynamic_batching.preferred_batch_size: " + size + " (expected: >= 1)");
      } else if (maxBatchSize >= 1 && size > maxBatchSize) {
        problems.add("dynamic_batching.preferred_batch_size: " + size
            + " (expected: <= max_batch_size " + maxBatchSize + ")");
      } else {
        preferred.add(size);
      }
    }
    // uint64 fields arrive as longs; a negative one is a value above 2^63.
    long delayMicros = batching.getMaxQueueDelayMicroseconds();
    if (delayMicros < 0 || delayMicros > MAX_MICROS) {
      problems.add("dynamic_batching.max_queue_delay_microseconds: " + Long.toUnsignedString(delayMicros)
          + " (expected: <= " + MAX_MICROS + ")");
    }
    long configuredLevels = batching.getPriorityLevels();
    int levels = 1;
    if (configuredLevels < 0 || configuredLevels > 1_000) {
      problems.add("dynamic_batching.priority_levels: " + Long.toUnsignedString(configuredLevels)
          + " (expected: <= 1000)");
    } else if (configuredLevels > 0) {
      levels = (int) configuredLevels;
    }
    long configuredDefault = batching.getDefaultPriorityLevel();
    int defaultLevel = 1;
    if (configuredLevels == 0) {
      if (configuredDefault != 0) {
        problems.add("dynamic_batching.default_priority_level: " + Long.toUnsignedString(configuredDefault)
            + " (expected: 0 when priority_levels is 0)");
      }
    } else if (configuredDefault < 1 || configuredDefault > levels) {
      problems.add("dynamic_batching.default_priority_level: " + Long.toUnsignedString(configuredDefault)
          + " (expected: >= 1 and <= priority_levels " + levels + ")");
    } else {
      defaultLevel = (int) configuredDefault;
    }
    QueuePolicy fallback =
        queuePolicy(batching.getDefaultQueuePolicy(), "dynamic_batching.default_queue_policy", problems);
    List<QueuePolicy> policies = new ArrayList<>(levels);
    for (int level = 1; level <= levels; level++) {
      policies.add(fallback);
    }
    for (Map.Entry<Long, ModelQueuePolicy> entry : batching.getPriorityQueuePolicyMap().entrySet()) {
      long level = entry.getKey();
      String field = "dynamic_batching.priority_queue_policy[" + Long.toUnsignedString(level) + "]";
      if (level < 1 || level > levels) {
        problems.add(field + ": priority level " + Long.toUnsignedString(level)
            + " (expected: >= 1 and <= priority_levels " + levels + ")");
        continue;
      }
      policies.set((int) level - 1, queuePolicy(entry.getValue(), field, problems));
    }
    if (!problems.isEmpty()) {
      String where = config.getName().isEmpty() ? "" : "model '" + config.getName() + "': ";
      throw new IllegalArgumentException(where + String.join("; ", problems));
    }
    return new BatchingPolicy(maxBatchSize, preferred, delayMicros * 1_000, levels, defaultLevel, policies,
        batching.getPreserveOrdering());
  }

  private static QueuePolicy queuePolicy(ModelQueuePolicy proto, String field, List<String> problems) {
    TimeoutAction action;
    switch (proto.getTimeoutAction()) {
      case REJECT -> action = TimeoutAction.REJECT;
      case DELAY -> action = TimeoutAction.DELAY;
      default -> {
        problems.add(field + ".timeout_action: " + proto.getTimeoutActionValue() + " (expected: REJECT or DELAY)");
        action = TimeoutAction.REJECT;
      }
    }
    long timeoutMicros = proto.getDefaultTimeoutMicroseconds();
    if (timeoutMicros < 0 || timeoutMicros > MAX_MICROS) {
      problems.add(field + ".default_timeout_microseconds: " + Long.toUnsignedString(timeoutMicros)
          + " (expected: <= " + MAX_MICROS + ")");
      timeoutMicros = 0;
    }
    int maxQueueSize = proto.getMaxQueueSize();
    if (maxQueueSize < 0) {
      problems.add(field + ".max_queue_size: " + Integer.toUnsignedString(maxQueueSize)
          + " (expected: <= " + Integer.MAX_VALUE + ")");
      maxQueueSize = 0;
    }
    return new QueuePolicy(action, timeoutMicros * 1_000, proto.getAllowTimeoutOverride(), maxQueueSize);
  }
}
