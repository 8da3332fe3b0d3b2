package dev.yardmaster.router.routing;

import java.util.Arrays;

/**
 * How late one tier's recent answers from one pool came against their predictions, at the tail: a
 * sliding window of {@link #WINDOW_NANOS} in {@link #SLOTS} slots, each a histogram of lateness
 * (observed minus predicted latency) in quarter-octave buckets; the {@link #QUANTILE} of the window
 * is recomputed on each sample and read lock-free by routing, once at least {@link
 * #MIN_LATE_ANSWERS} answers reach it. A pool that stops getting samples (routing sent the tier
 * elsewhere) reads 0 once its newest sample has left the window, so it is tried again and keeps the
 * tier only if it answers on time. Time is an argument, so tests move it by hand.
 *
 * <p>The tail is an upper bucket edge: up to 19% above the lateness it stands for, never below.
 */
final class TailLateness {

  /** Width of the window the quantile covers. */
  static final long WINDOW_NANOS = 1_000_000_000L;
  /** Slots the window moves by: it forgets the oldest quarter second at a time. */
  static final int SLOTS = 4;
  static final long SLOT_NANOS = WINDOW_NANOS / SLOTS;
  /** The quantile of lateness that routing adds to budgeted tiers' predictions. */
  static final double QUANTILE = 0.95;
  /**
   * A tail needs at least this many answers at or above it, so one or two stray ones (a cold start,
   * a pause) do not shut a pool out of a tier for a second.
   */
  static final int MIN_LATE_ANSWERS = 3;

  /** Lower edge of bucket 1; bucket 0 holds answers that came on time or early. */
  private static final long SMALLEST_LATENESS_NANOS = 50_000;
  private static final int BUCKETS = 64;
  private static final int BUCKETS_PER_OCTAVE = 4;
  private static final long[] UPPER_EDGE_NANOS = new long[BUCKETS];

  static {
    for (int b = 1; b < BUCKETS; b++) {
      UPPER_EDGE_NANOS[b] = Math.round(SMALLEST_LATENESS_NANOS * Math.pow(2, b / (double) BUCKETS_PER_OCTAVE));
    }
  }

  private final int[][] counts = new int[SLOTS][BUCKETS];
  private final long[] slotOfRing = new long[SLOTS]; // which absolute slot each ring position holds
  private final int[] windowCounts = new int[BUCKETS]; // sum over the ring
  private int windowSamples;
  private long newestSlot = Long.MIN_VALUE;

  private volatile long tailNanos;
  /** When the newest sample leaves the window: from then on the pool reads as on time. */
  private volatile long forgetAtNanos = Long.MIN_VALUE;

  TailLateness() {
    Arrays.fill(slotOfRing, Long.MIN_VALUE);
  }

  /** Adds an answer that came {@code latenessNanos} after its prediction (negative: early) at {@code nowNanos}. */
  synchronized void record(long nowNanos, long latenessNanos) {
    long slot = Math.floorDiv(nowNanos, SLOT_NANOS);
    if (slot < newestSlot) {
      slot = newestSlot; // a thread that read the clock a little earlier: count it in the current slot
    }
    newestSlot = slot;
    int ring = (int) Math.floorMod(slot, (long) SLOTS);
    for (int r = 0; r < SLOTS; r++) {
      if (slotOfRing[r] != Long.MIN_VALUE && slot - slotOfRing[r] >= SLOTS) {
        clear(r); // older than the window
      }
    }
    if (slotOfRing[ring] != slot) {
      clear(ring);
      slotOfRing[ring] = slot;
    }
    int bucket = bucket(latenessNanos);
    counts[ring][bucket]++;
    windowCounts[bucket]++;
    windowSamples++;
    tailNanos = quantile();
    forgetAtNanos = (slot + SLOTS) * SLOT_NANOS;
  }

  /** The recent tail lateness at {@code nowNanos}; 0 when no sample is in the window. */
  long tailNanos(long nowNanos) {
    long tail = tailNanos;
    return nowNanos - forgetAtNanos < 0 ? tail : 0;
  }

  private void clear(int ring) {
    int[] slotCounts = counts[ring];
    for (int b = 0; b < BUCKETS; b++) {
      windowCounts[b] -= slotCounts[b];
      windowSamples -= slotCounts[b];
      slotCounts[b] = 0;
    }
    slotOfRing[ring] = Long.MIN_VALUE;
  }

  /**
   * Nearest rank: the upper edge of the bucket holding the ceil(QUANTILE x n)-th smallest sample,
   * or the {@link #MIN_LATE_ANSWERS}-th largest if that is lower; 0 with fewer samples than that.
   */
  private long quantile() {
    long fromTop = Math.max(MIN_LATE_ANSWERS, windowSamples - (long) Math.ceil(QUANTILE * windowSamples) + 1);
    if (fromTop > windowSamples) {
      return 0;
    }
    long rank = windowSamples - fromTop + 1;
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += windowCounts[b];
      if (seen >= rank) {
        return UPPER_EDGE_NANOS[b];
      }
    }
    return UPPER_EDGE_NANOS[BUCKETS - 1];
  }

  static int bucket(long latenessNanos) {
    if (latenessNanos <= 0) {
      return 0;
    }
    if (latenessNanos <= SMALLEST_LATENESS_NANOS) {
      return 1;
    }
    // bucket b holds (edge[b - 1], edge[b]]; the log only guesses b, the (rounded) edges decide
    double octaves = Math.log((double) latenessNanos / SMALLEST_LATENESS_NANOS) / Math.log(2);
    int b = Math.max(1, Math.min(BUCKETS - 1, (int) Math.ceil(octaves * BUCKETS_PER_OCTAVE)));
    while (b > 1 && latenessNanos <= UPPER_EDGE_NANOS[b - 1]) {
      b--;
    }
    while (b < BUCKETS - 1 && latenessNanos > UPPER_EDGE_NANOS[b]) {
      b++;
    }
    return Math.min(b, BUCKETS - 1);
  }

  /** The tail a lateness reads as: its bucket's upper edge (0 for on time). */
  static long upperEdgeNanos(long latenessNanos) {
    return UPPER_EDGE_NANOS[bucket(latenessNanos)];
  }
}
