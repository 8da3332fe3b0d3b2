package dev.yardmaster.router.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late one tier's oldest unanswered request at one pool already is: now minus the time its
 * prediction said it would be answered, 0 while it is not due yet. Answers show a pool falling
 * behind only once they come back; a request still waiting shows it at once, so a pool that drains
 * slower than its profile stops taking the tier before the queue routing keeps adding to gets
 * long, not a queue's length later.
 *
 * <p>Requests are numbered as they are routed, their due times kept in a ring; answers are
 * counted, and the oldest unanswered request is taken to be the one numbered by the answer count,
 * as in a pool that answers in order. Where answers overtake (several replicas, priorities), that
 * request is a younger one, so the lateness read is at most the real one: it reads how far the pool
 * as a whole is behind its predictions, and a single straggler held on one replica, which
 * least-outstanding endpoint choice already steers new requests away from, does not make the whole
 * pool look late (exact per-request tracking would, and would push the tier to a dearer pool for
 * no gain until the straggler's per-try timeout). Lock-free: an atomic
 * increment and two array stores a request, an increment an answer, five loads a read. Time is an
 * argument, so tests move it by hand.
 */
final class InFlightLateness {

  /** Requests in flight it can tell apart; beyond that the oldest reads as the one this many back. */
  static final int CAPACITY = 1024;
  private static final int MASK = CAPACITY - 1;

  private final AtomicLong routed = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLongArray dueTimes = new AtomicLongArray(CAPACITY);
  private final AtomicLongArray numbers = new AtomicLongArray(CAPACITY);

  InFlightLateness() {
    for (int i = 0; i < CAPACITY; i++) {
      numbers.set(i, -1);
    }
  }

  /** A request routed to the pool, due (by its prediction) at {@code dueNanos}. */
  void routed(long dueNanos) {
    long number = routed.getAndIncrement();
    int slot = (int) (number & MASK);
    dueTimes.set(slot, dueNanos);
    numbers.set(slot, number); // last: a reader that sees the number sees its due time
  }

  /** One of the tier's requests at the pool answered (with a response or a status). */
  void answered() {
    answered.incrementAndGet();
  }

  /** How late the oldest unanswered request is at {@code nowNanos}; 0 when none is past due. */
  long latenessNanos(long nowNanos) {
    long oldest = Math.max(answered.get(), routed.get() - CAPACITY);
    int slot = (int) (oldest & MASK);
    long before = numbers.get(slot);
    long due = dueTimes.get(slot);
    if (before != oldest || numbers.get(slot) != oldest) {
      return 0; // nothing in flight, or its due time is being written
    }
    long late = nowNanos - due;
    return late > 0 ? late : 0;
  }
}
