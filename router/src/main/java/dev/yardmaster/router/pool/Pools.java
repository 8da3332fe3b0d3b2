package dev.yardmaster.router.pool;

import dev.yardmaster.router.config.HostPort;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.local.InProcessBackend;
import dev.yardmaster.router.local.InProcessPools;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All pools of the router, built from config and kept current: DNS names are re-resolved, endpoints
 * are health-checked and unejected on schedule, and {@link #apply} takes a reloaded config
 * (adding, changing and removing pools and endpoints without dropping requests in flight).
 * Pools of {@code kind: onnxruntime} and {@code kind: emulated} are served in this process
 * ({@link InProcessPools}): their backends start on apply, stay up across reloads that leave them
 * unchanged, and stop when their pool is changed or removed and on {@link #close()}.
 */
public final class Pools implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Pools.class);

  private final MeterRegistry registry;
  private final LongSupplier nanoClock;
  private final int maxMessageBytes;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();
  private final Map<String, List<ScheduledFuture<?>>> tasks = new ConcurrentHashMap<>();
  private final InProcessPools inProcess;
  private volatile List<String> names = List.of();

  /** Pools whose endpoint clients take messages up to the default limit (64 MiB). */
  public Pools(MeterRegistry registry, LongSupplier nanoClock) {
    this(registry, nanoClock, RouterConfig.mibInBytes(RouterConfig.DEFAULT_MAX_MESSAGE_MIB));
  }

  /**
   * Pools whose endpoint clients (and in-process backends) send and take messages up to {@code
   * maxMessageBytes}: the router's {@code server.max_message_mb}, fixed for their life like the ports.
   */
  public Pools(MeterRegistry registry, LongSupplier nanoClock, int maxMessageBytes) {
    this.registry = registry;
    this.nanoClock = nanoClock;
    this.maxMessageBytes = maxMessageBytes;
    this.inProcess = new InProcessPools(maxMessageBytes);
    this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
      Thread thread = new Thread(runnable, "yardmaster-pools");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The pool named {@code name}, or null. */
  public @Nullable Pool get(String name) {
    return pools.get(name);
  }

  /** Pool names in config order. */
  public List<String> names() {
    return names;
  }

  public List<Pool> all() {
    return names.stream().map(pools::get).filter(p -> p != null).toList();
  }

  /** The in-process backend serving the pool, or null for a pool of remote endpoints. */
  public @Nullable InProcessBackend inProcessBackend(String name) {
    return inProcess.get(name);
  }

  /**
   * Makes the pools those of {@code config}; endpoints resolve now, health checks start at once,
   * in-process backends are started first.
   *
   * @throws IllegalStateException naming the pool when an in-process backend cannot start (the
   *     pools are left as they were)
   */
  public synchronized void apply(RouterConfig config) {
    List<PoolConfig> served = new java.util.ArrayList<>();
    try {
      for (PoolConfig poolConfig : config.pools()) {
        // a failure leaves the live pools untouched: backends they use are only retired, not stopped
        served.add(inProcess.endpointsFor(poolConfig));
      }
    } catch (RuntimeException failure) {
      if (pools.isEmpty()) {
        inProcess.close(); // the first config: no pool uses the backends started so far
      }
      throw failure;
    }
    inProcess.retainOnly(config.poolNames().stream().collect(java.util.stream.Collectors.toSet()));
    Map<String, Pool> keep = new LinkedHashMap<>();
    for (PoolConfig poolConfig : served) {
      Pool pool = pools.get(poolConfig.name());
      if (pool == null) {
        pool = new Pool(poolConfig, registry, nanoClock, maxMessageBytes);
        pools.put(pool.name(), pool);
        log.info("pool '{}': added ({} endpoints configured)", pool.name(), poolConfig.endpoints().size());
      } else {
        pool.reconfigure(poolConfig);
      }
      keep.put(pool.name(), pool);
      resolve(pool);
      schedule(pool);
    }
    names = List.copyOf(keep.keySet());
    for (String name : List.copyOf(pools.keySet())) {
      if (!keep.containsKey(name)) {
        Pool gone = pools.remove(name);
        cancel(name);
        if (gone != null) {
          gone.close();
          log.info("pool '{}': removed", name);
        }
      }
    }
    inProcess.stopRetired();
  }

  private void schedule(Pool pool) {
    cancel(pool.name());
    PoolConfig config = pool.config();
    long interval = config.healthCheck().intervalMillis();
    tasks.put(pool.name(), List.of(
        scheduler.scheduleWithFixedDelay(() -> safely(() -> HealthChecker.checkAll(pool)), 0, interval,
            TimeUnit.MILLISECONDS),
        scheduler.scheduleWithFixedDelay(() -> safely(pool::maintain), 50, 50, TimeUnit.MILLISECONDS),
        scheduler.scheduleWithFixedDelay(() -> safely(() -> resolve(pool)), config.dnsRefreshMillis(),
            config.dnsRefreshMillis(), TimeUnit.MILLISECONDS)));
  }

  private void cancel(String name) {
    List<ScheduledFuture<?>> old = tasks.remove(name);
    if (old != null) {
      old.forEach(task -> task.cancel(false));
    }
  }

  private static void safely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException failure) {
      log.warn("pools: background task failed: {}", failure.toString());
    }
  }

  /**
   * Resolves every configured {@code host:port} to {@code ip:port} endpoints. A name that fails to
   * resolve keeps the endpoints it had, so a DNS hiccup does not empty a pool.
   */
  void resolve(Pool pool) {
    Map<String, String> resolved = new LinkedHashMap<>();
    for (String entry : pool.config().endpoints()) {
      HostPort configured = HostPort.parse(entry);
      try {
        for (InetAddress address : InetAddress.getAllByName(configured.host())) {
          resolved.put(new HostPort(address.getHostAddress(), configured.port()).toString(), entry);
        }
      } catch (UnknownHostException e) {
        log.warn("pool '{}': endpoints[{}] '{}' does not resolve ({}); keeping its endpoints", pool.name(),
            pool.config().endpoints().indexOf(entry), entry, e.getMessage());
        for (Endpoint endpoint : pool.endpoints()) {
          if (endpoint.configured().equals(entry)) {
            resolved.put(endpoint.id(), entry);
          }
        }
      }
    }
    pool.setEndpoints(resolved);
  }

  @Override
  public synchronized void close() {
    scheduler.shutdownNow();
    for (Pool pool : pools.values()) {
      pool.close();
    }
    pools.clear();
    inProcess.close();
  }
}
