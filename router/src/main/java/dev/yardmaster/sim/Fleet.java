package dev.yardmaster.sim;

import java.util.List;

/**
 * Replicas per pool, in the scenario's pool order.
 *
 * @param replicas replicas of each pool, each >= 0
 */
public record Fleet(List<Integer> replicas) {

  public Fleet {
    replicas = List.copyOf(replicas);
    for (int r : replicas) {
      if (r < 0) {
        throw new IllegalArgumentException("replicas: " + replicas + " (expected: each >= 0)");
      }
    }
  }

  public static Fleet of(int... replicas) {
    Integer[] boxed = new Integer[replicas.length];
    for (int i = 0; i < replicas.length; i++) {
      boxed[i] = replicas[i];
    }
    return new Fleet(List.of(boxed));
  }

  public int replicas(int pool) {
    return replicas.get(pool);
  }

  public int total() {
    int total = 0;
    for (int r : replicas) {
      total += r;
    }
    return total;
  }

  /** Dollars per hour of the whole fleet. */
  public double pricePerHour(List<PoolSpec> pools) {
    double price = 0;
    for (int p = 0; p < pools.size(); p++) {
      price += replicas.get(p) * pools.get(p).pricePerHour();
    }
    return price;
  }

  /** E.g. {@code gpu-a10g=2 inf2=0 cpu-c7g=5}. */
  public String describe(List<PoolSpec> pools) {
    StringBuilder text = new StringBuilder();
    for (int p = 0; p < pools.size(); p++) {
      if (p > 0) {
        text.append(' ');
      }
      text.append(pools.get(p).id()).append('=').append(replicas.get(p));
    }
    return text.toString();
  }
}
