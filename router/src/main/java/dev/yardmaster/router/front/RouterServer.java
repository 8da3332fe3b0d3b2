package dev.yardmaster.router.front;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.yardmaster.router.config.ConfigWatcher;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.grpcwire.OversizedRequests;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.LiveRouter;
import dev.yardmaster.router.server.QuickStopBossGroup;
import dev.yardmaster.router.server.grpc.GrpcFormats;
import dev.yardmaster.router.server.grpc.MessageCompression;
import dev.yardmaster.router.server.grpc.StreamRequestLength;
import io.grpc.ServerInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router process: the KServe v2 gRPC front end ({@link RouterGrpcService}) routing over the
 * configured pools ({@link LiveRouter}), Prometheus {@code /metrics}, and, when started from a
 * file, hot reload of that file.
 *
 * <p>Both ports are Armeria servers, the stack the in-process server runs on too. The grpc-java
 * service and its interceptors run unchanged inside Armeria's {@link GrpcService}, on the event
 * loop: the service only forwards and never blocks, so a thread hop per call would be pure cost.
 * The endpoint clients run on the same loops (Armeria's common worker group, the server's default;
 * see {@code pool.CallerLoopClients}), so a forwarded request stays on the loop it arrived on.
 *
 * <p>Unary ModelInfer, the hot call, does not even enter grpc-java: {@link ModelInferPassThrough},
 * in front of the service, routes it from its frame's bytes and forwards the frame unchanged
 * ({@code -Dyardmaster.router.passThrough=false} turns that off, for comparison).
 */
public final class RouterServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);
  /**
   * Callers' connections idle this long close. Armeria's default of 15 s made a caller that paused
   * for 15 s reconnect (TCP and HTTP/2 set-up on its next request, which then lands on another event
   * loop with its own endpoint connections); gRPC callers keep their channels for minutes (grpc-java,
   * Triton's clients), nginx keeps them 75 s by default. Idle connections cost only memory.
   */
  static final Duration CALLER_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private final Pools pools;
  private final LiveRouter router;
  private final Server grpc;
  private final Server metrics;
  private final @Nullable ConfigWatcher watcher;

  private RouterServer(Pools pools, LiveRouter router, Server grpc, Server metrics,
      @Nullable ConfigWatcher watcher) {
    this.pools = pools;
    this.router = router;
    this.grpc = grpc;
    this.metrics = metrics;
    this.watcher = watcher;
  }

  /** Starts serving {@code config}; reloads {@code configFile} on change when it is not null. No warm-up. */
  public static RouterServer start(RouterConfig config, @Nullable Path configFile, MeterRegistry registry,
      long reloadPollMillis) {
    return start(config, configFile, registry, reloadPollMillis, RouterWarmup.none());
  }

  /**
   * Starts serving {@code config}, reloading {@code configFile} on change when it is not null. Runs
   * {@code warmup} in the background once bound; ServerReady answers false until it is over.
   */
  public static RouterServer start(RouterConfig config, @Nullable Path configFile, MeterRegistry registry,
      long reloadPollMillis, RouterWarmup warmup) {
    int maxMessageBytes = config.maxMessageBytes();
    Pools pools = new Pools(registry, System::nanoTime, maxMessageBytes);
    pools.apply(config);
    LiveRouter router = new LiveRouter(registry, config, pools);
    AtomicBoolean warm = new AtomicBoolean(!warmup.enabled());
    GrpcService service = GrpcService.builder()
        .addService(ServerInterceptors.intercept(
            new RouterGrpcService(pools, router, config.defaultTimeoutMillis(), warm::get),
            new PoolSelectionInterceptor(pools, router),
            new CallContextInterceptor())) // the last runs first: its Context is the others' parent
        .maxRequestMessageLength(maxMessageBytes)
        .maxResponseMessageLength(maxMessageBytes)
        .decompressorRegistry(MessageCompression.decompressors())
        .compressorRegistry(MessageCompression.compressors())
        .useBlockingTaskExecutor(false) // forwarding runs on the event loop: no thread hop per call
        .supportedSerializationFormats(GrpcFormats.PROTOBUF)
        .build();
    ServerBuilder grpcBuilder = base(config.grpcPort(), maxMessageBytes, registry)
        .errorHandler(OversizedRequests.naming(maxMessageBytes,
            config.maxMessageMib() + " MiB, the router's server.max_message_mb"))
        .decorator(new StreamRequestLength());
    if (ModelInferPassThrough.enabled()) { // in front of the service: unary ModelInfer skips grpc-java
      ModelInferPassThrough passThrough = new ModelInferPassThrough(pools, router, config.defaultTimeoutMillis());
      grpcBuilder.service(service, delegate -> delegate.decorate(passThrough));
    } else {
      grpcBuilder.service(service);
    }
    Server grpc = grpcBuilder.build();
    Server metrics = base(config.metricsPort(), 1024 * 1024, null) // Armeria's own meters come from the gRPC server
        .service("/metrics", (ctx, req) -> registry instanceof PrometheusMeterRegistry prometheus
            ? HttpResponse.of(HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                prometheus.scrape())
            : HttpResponse.of(HttpStatus.NOT_FOUND))
        .build();
    try {
      bind(grpc, "server.grpc_port", config.grpcPort());
      bind(metrics, "server.metrics_port", config.metricsPort());
    } catch (RuntimeException failure) {
      grpc.stop().join();
      metrics.stop().join();
      pools.close();
      throw failure;
    }
    ConfigWatcher watcher = configFile == null ? null
        : ConfigWatcher.start(configFile, RouterConfigLoader.withOfflinePrices(), next -> {
          pools.apply(next);
          router.apply(next, pools);
        }, reloadPollMillis, registry);
    log.info("yardmaster router listening: grpc {} (messages up to {} MiB), metrics {}; pools {}",
        grpc.activeLocalPort(), config.maxMessageMib(), metrics.activeLocalPort(), pools.names());
    if (!warm.get()) {
      Thread warming = new Thread(() -> {
        try {
          warmup.run(grpc.activeLocalPort(), pools, router);
        } catch (InterruptedException stopped) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException failure) {
          log.warn("router warm-up failed, serving cold: {}", failure.toString());
        } finally {
          warm.set(true);
        }
      }, "yardmaster-warmup");
      warming.setDaemon(true);
      warming.start();
    }
    return new RouterServer(pools, router, grpc, metrics, watcher);
  }

  private static ServerBuilder base(int port, int maxRequestBytes, @Nullable MeterRegistry registry) {
    ServerBuilder builder = Server.builder();
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    return builder
        .http(port)
        .maxRequestLength(maxRequestBytes)
        // clients read neither; encoding them is work on every response (Triton sends neither on gRPC)
        .disableServerHeader()
        .disableDateHeader()
        // no timeout of the server's own: grpc-timeout is the caller's, and callers that send none
        // get server.default_timeout_ms from the service
        .requestTimeout(Duration.ZERO)
        .idleTimeout(CALLER_IDLE_TIMEOUT)
        // stop(): new calls are refused, calls in flight get up to 10 s to finish
        .gracefulShutdownTimeout(Duration.ofMillis(50), Duration.ofSeconds(10))
        .bossGroupFactory(QuickStopBossGroup::new) // an idle stop takes milliseconds, not 2 s
        .connectionDrainDuration(Duration.ofMillis(100));
  }

  private static void bind(Server server, String key, int port) {
    try {
      server.start().join();
    } catch (CompletionException failure) {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      throw new UncheckedIOException(key + ": " + port + " cannot be bound (expected: a free port; "
          + cause.getMessage() + ")", cause instanceof IOException io ? io : new IOException(cause));
    }
  }

  public int grpcPort() {
    return grpc.activeLocalPort();
  }

  /** How long an idle caller connection to the gRPC port stays open. */
  Duration grpcIdleTimeout() {
    return Duration.ofMillis(grpc.config().idleTimeoutMillis());
  }

  public int metricsPort() {
    return metrics.activeLocalPort();
  }

  public Pools pools() {
    return pools;
  }

  /** The routing of this server's calls: its decisions, metrics and learned corrections. */
  public LiveRouter router() {
    return router;
  }

  /** The problems of the last rejected reload; empty when none was rejected or no file is watched. */
  public String lastReloadError() {
    return watcher == null ? "" : watcher.lastError();
  }

  /** Stops taking calls, lets calls in flight finish (up to 10 s), then closes the pools. */
  public void stop() {
    if (watcher != null) {
      watcher.close();
    }
    // in parallel: each waits up to 10 s for its calls in flight
    CompletableFuture.allOf(grpc.stop(), metrics.stop()).join();
    pools.close();
  }

  @Override
  public void close() {
    stop();
  }
}
