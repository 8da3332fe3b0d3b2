package dev.yardmaster.backend.batching;

import java.util.TreeMap;

/**
 * Triton's {@code dynamic_batching.preserve_ordering} for one scheduler: releases each batch's
 * completions only after every batch formed before it released theirs, so that responses leave in
 * the order the scheduler handed requests to batches, although several instances may finish them
 * in another order.
 *
 * <p>The scheduler numbers each batch when it forms it ({@link #nextSequence()}, under its own
 * lock, so numbers follow the queue's order) and hands the batch's completions here when its
 * execution ends, successful or not ({@link #finish}). A finished batch whose predecessors are
 * still running is held. One thread at a time releases what is ready, outside the lock: a
 * completion's callback that finishes another batch on the same thread only adds it, and the
 * running release takes it in turn, so completions never run out of order nor under the lock.
 *
 * <p>Only schedulers of models asking for it have one; the others pay nothing.
 */
final class ResponseOrder {
  // guarded by this
  private long nextSequence;
  private long nextToRelease;
  private final TreeMap<Long, Runnable> held = new TreeMap<>();
  private boolean releasing;
  private boolean skipGaps;

  /** The number of the batch being formed; the caller forms batches one at a time, in order. */
  synchronized long nextSequence() {
    return nextSequence++;
  }

  /**
   * Runs {@code completions} once every earlier batch's have run: now (on this thread, or on a
   * thread already releasing) when they have, else when the last of them finishes. Call once per
   * batch.
   *
   * @param completions completes the batch's requests; must not throw
   */
  void finish(long sequence, Runnable completions) {
    synchronized (this) {
      // After releaseAll a batch whose turn was skipped may come late: it runs then, never lost.
      held.put(sequence, completions);
      if (releasing) {
        return;
      }
      releasing = true;
    }
    release();
  }

  /**
   * Releases everything held, in order, without waiting for batches that never finished (on
   * close, when every execution has ended; a gap means one ended without reaching {@link
   * #finish}). From then on a batch runs its completions as soon as it finishes.
   */
  void releaseAll() {
    synchronized (this) {
      skipGaps = true;
      if (releasing) {
        return;
      }
      releasing = true;
    }
    release();
  }

  /** Whether nothing is held (tests check it). */
  synchronized boolean isEmpty() {
    return held.isEmpty();
  }

  /** The releasing thread's loop: runs what is ready, in order, until nothing is. */
  private void release() {
    boolean done = false;
    try {
      while (true) {
        Runnable next;
        synchronized (this) {
          Long sequence = held.isEmpty() ? null : held.firstKey();
          if (sequence == null || (sequence != nextToRelease && !skipGaps)) {
            releasing = false;
            done = true;
            return;
          }
          next = held.remove(sequence);
          nextToRelease = Math.max(nextToRelease, sequence + 1);
        }
        next.run();
      }
    } finally {
      if (!done) {
        // A completion threw after all: the next finish releases the rest.
        synchronized (this) {
          releasing = false;
        }
      }
    }
  }
}
