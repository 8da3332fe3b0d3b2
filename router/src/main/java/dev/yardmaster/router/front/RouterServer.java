package dev.yardmaster.router.front;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.yardmaster.router.config.ConfigWatcher;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.LiveRouter;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router process: the KServe v2 gRPC front end ({@link RouterGrpcService}) routing over the
 * configured pools ({@link LiveRouter}), Prometheus {@code /metrics}, and, when started from a file, hot reload of that file.
 */
public final class RouterServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final Pools pools;
  private final LiveRouter router;
  private final io.grpc.Server grpc;
  private final Server metrics;
  private final @Nullable ConfigWatcher watcher;

  private RouterServer(Pools pools, LiveRouter router, io.grpc.Server grpc, Server metrics,
      @Nullable ConfigWatcher watcher) {
    this.pools = pools;
    this.router = router;
    this.grpc = grpc;
    this.metrics = metrics;
    this.watcher = watcher;
  }

  /** Starts serving {@code config}; reloads {@code configFile} on change when it is not null. */
  public static RouterServer start(RouterConfig config, @Nullable Path configFile, MeterRegistry registry,
      long reloadPollMillis) {
    Pools pools = new Pools(registry, System::nanoTime);
    pools.apply(config);
    LiveRouter router = new LiveRouter(registry, config, pools);
    io.grpc.Server grpc = Grpc.newServerBuilderForPort(config.grpcPort(), InsecureServerCredentials.create())
        .addService(ServerInterceptors.intercept(new RouterGrpcService(pools, router, config.defaultTimeoutMillis()),
            new PoolSelectionInterceptor(pools, router)))
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .directExecutor() // the service only forwards, never blocks: no thread hop per call
        .build();
    try {
      grpc.start();
    } catch (IOException e) {
      pools.close();
      throw new UncheckedIOException("server.grpc_port: " + config.grpcPort() + " cannot be bound (expected: a free port)", e);
    }
    Server metrics = Server.builder()
        .http(config.metricsPort())
        .service("/metrics", (ctx, req) -> registry instanceof PrometheusMeterRegistry prometheus
            ? HttpResponse.of(HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                prometheus.scrape())
            : HttpResponse.of(HttpStatus.NOT_FOUND))
        .build();
    metrics.start().join();
    ConfigWatcher watcher = configFile == null ? null
        : ConfigWatcher.start(configFile, RouterConfigLoader.withOfflinePrices(), next -> {
          pools.apply(next);
          router.apply(next, pools);
        }, reloadPollMillis);
    log.info("yardmaster router listening: grpc {}, metrics {}; pools {}", grpc.getPort(),
        metrics.activeLocalPort(), pools.names());
    return new RouterServer(pools, router, grpc, metrics, watcher);
  }

  public int grpcPort() {
    return grpc.getPort();
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
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(10, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      grpc.shutdownNow();
    }
    metrics.stop().join();
    pools.close();
  }

  @Override
  public void close() {
    stop();
  }
}
