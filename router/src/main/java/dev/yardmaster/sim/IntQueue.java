package dev.yardmaster.sim;

import java.util.Arrays;

/** A growable FIFO ring of ints (request ids), so queues do not box. */
final class IntQueue {

  private int[] items = new int[16];
  private int head;
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void add(int item) {
    if (size == items.length) {
      int[] grown = new int[items.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = items[(head + i) % items.length];
      }
      items = grown;
      head = 0;
    }
    items[(head + size) % items.length] = item;
    size++;
  }

  int peek() {
    if (size == 0) {
      throw new IllegalStateException("queue: empty (expected: non-empty)");
    }
    return items[head];
  }

  int poll() {
    int item = peek();
    head = (head + 1) % items.length;
    size--;
    return item;
  }

  @Override
  public String toString() {
    return "IntQueue{size=" + size + ", items=" + Arrays.toString(items) + '}';
  }
}
