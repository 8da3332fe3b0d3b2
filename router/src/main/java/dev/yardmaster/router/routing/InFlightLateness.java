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
 * <p>Requests are numbered as they are routed ({@link #routed} returns the number) and their due
 * times kept in a ring; each answer marks its own number done ({@link #answered}), and a cursor
 * moves past the done numbers to the oldest one still waiting. So answers that overtake (several
 * replicas, priorities) leave the older request in view: a replica that holds one request past
 * due shows it even while the others answer. Lock-free: an atomic increment and two array stores a
 * request, a store and usually one compare-and-set an answer, a handful of loads a read. Time is an
 * argument, so tests move it by hand.
 */
final class InFlightLateness {

  /** Requests in flight it can tell apart; beyond that the oldest reads as the one this many back. */
  static final int CAPACITY = 1024;
  private static final int MASK = CAPACITY - 1;

  private final AtomicLong routed = new AtomicLong();
  /** Every number below it is answered (or too old to tell apart). */
  private final AtomicLong oldestWaiting = new AtomicLong();
  private final AtomicLongArray dueTimes = new AtomicLongArray(CAPACITY);
  /** The number each slot holds now, -1 before its first. */
  private final AtomicLongArray numbers = new AtomicLongArray(CAPACITY);
  /** The number each slot last saw answered, -1 before its first. */
  private final AtomicLongArray answeredNumbers = new AtomicLongArray(CAPACITY);

  InFlightLateness() {
    for (int i = 0; i < CAPACITY; i++) {
      numbers.set(i, -1);
      answeredNumbers.set(i, -1);
    }
  }

  /** A request routed to the pool, due (by its prediction) at {@code dueNanos}; returns its number. */
  long routed(long dueNanos) {
    long number = routed.getAndIncrement();
    int slot = (int) (number & MASK);
    dueTimes.set(slot, dueNanos);
    numbers.set(slot, number); // last: a reader that sees the number sees its due time
    return number;
  }

  /** The request {@code number} (from {@link #routed}) answered, with a response or a status. */
  void answered(long number) {
    answeredNumbers.set((int) (number & MASK), number);
    advance();
  }

  /** Moves the cursor past answered numbers; whoever's compare-and-set fails leaves it to the winner. */
  private void advance() {
    while (true) {
      long cursor = oldestWaiting.get();
      long oldest = Math.max(cursor, routed.get() - CAPACITY);
      if (oldest >= routed.get() || answeredNumbers.get((int) (oldest & MASK)) != oldest) {
        if (oldest != cursor) {
          oldestWaiting.compareAndSet(cursor, oldest);
        }
        return;
      }
      oldestWaiting.compareAndSet(cursor, oldest + 1);
    }
  }

  /** How late the oldest unanswered request is at {@code nowNanos}; 0 when none is past due. */
  long latenessNanos(long nowNanos) {
    long oldest = Math.max(oldestWaiting.get(), routed.get() - CAPACITY);
    int slot = (int) (oldest & MASK);
    long before = numbers.get(slot);
    long due = dueTimes.get(slot);
    if (before != oldest || numbers.get(slot) != oldest || answeredNumbers.get(slot) == oldest) {
      return 0; // nothing in flight, its due time is being written, or the cursor is about to move on
    }
    long late = nowNanos - due;
    return late > 0 ? late : 0;
  }
}
