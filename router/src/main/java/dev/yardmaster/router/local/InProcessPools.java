package dev.yardmaster.router.local;

import dev.yardmaster.router.config.PoolConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process backends of a router's {@code kind: onnxruntime} and {@code kind: emulated} pools,
 * kept across config reloads: a pool whose kind, repository and profile are unchanged keeps its
 * backend (and its port); a changed one gets a new backend, and the old one is retired, to be
 * stopped once the pool points at the new one (its requests in flight finish first). Not
 * thread-safe: the caller serializes (Pools applies configs under its own lock).
 */
public final class InProcessPools implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InProcessPools.class);

  private final Map<String, Running> running = new HashMap<>();
  private final List<InProcessBackend> retired = new ArrayList<>();
  private final int maxMessageBytes;

  private record Running(PoolConfig config, InProcessBackend backend) {}

  /** Backends that take and answer messages up to {@code maxMessageBytes}, as the router does. */
  public InProcessPools(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * The pool's config with its endpoints filled in: unchanged for {@code kind: kserve}; the loopback
   * address of its backend (started now if needed) for in-process kinds.
   *
   * @throws IllegalStateException naming the pool when its backend cannot start
   */
  public PoolConfig endpointsFor(PoolConfig pool) {
    Running current = running.get(pool.name());
    if (!pool.kind().inProcess()) {
      if (current != null) {
        retire(pool.name());
      }
      return pool;
    }
    if (current != null && current.config().sameServing(pool)) {
      return pool.withEndpoints(List.of(current.backend().grpcAddress()));
    }
    InProcessBackend started = InProcessBackend.start(pool.name(),
        java.util.Objects.requireNonNull(pool.modelRepository(), "modelRepository"), pool.emulated(),
        pool.cpuShare(), maxMessageBytes);
    log.info("pool '{}': started {}", pool.name(), started);
    if (current != null) {
      retire(pool.name());
    }
    running.put(pool.name(), new Running(pool, started));
    return pool.withEndpoints(List.of(started.grpcAddress()));
  }

  /** Retires the backends of pools not in {@code keep} (pools removed from the config). */
  public void retainOnly(Set<String> keep) {
    for (String name : List.copyOf(running.keySet())) {
      if (!keep.contains(name)) {
        retire(name);
      }
    }
  }

  /** Stops the retired backends; call after the pools point away from them. */
  public void stopRetired() {
    for (InProcessBackend backend : retired) {
      backend.stop();
      log.info("pool '{}': stopped {}", backend.poolName(), backend);
    }
    retired.clear();
  }

  /** The running backend of the pool, or null (not in-process, or not started). */
  public @org.jspecify.annotations.Nullable InProcessBackend get(String pool) {
    Running current = running.get(pool);
    return current == null ? null : current.backend();
  }

  private void retire(String name) {
    Running gone = running.remove(name);
    if (gone != null) {
      retired.add(gone.backend());
    }
  }

  /** Stops every backend. */
  @Override
  public void close() {
    retainOnly(Set.of());
    stopRetired();
  }
}
