package dev.yardmaster.cli;

import dev.yardmaster.router.config.ConfigException;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.front.RouterWarmup;
import dev.yardmaster.router.server.metrics.JvmMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** {@code yardmaster serve --config FILE}: runs the router over the file's pools until shutdown. */
final class RouterLauncher {

  private RouterLauncher() {}

  /** {@code maxMessageMib}, when not null, replaces the file's {@code server.max_message_mb}. */
  static int run(Path configFile, @Nullable Integer maxMessageMib, PrintWriter err, RouterWarmup warmup)
      throws InterruptedException {
    RouterConfig config;
    try {
      config = load(configFile, maxMessageMib);
    } catch (ConfigException bad) {
      err.println(bad.getMessage());
      return Main.EXIT_USAGE;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (JvmMeters jvm = JvmMeters.bind(registry)) {
      RouterServer server;
      try {
        server = RouterServer.start(config, configFile, registry, 1000, warmup);
      } catch (RuntimeException failure) {
        err.println("serve: " + failure.getMessage());
        return Main.EXIT_FAILURE;
      }
      err.printf("yardmaster router serving pools %s: grpc %d, metrics %d%n",
          server.pools().names(), server.grpcPort(), server.metricsPort());
      UntilShutdown.await("yardmaster-router-shutdown", server::stop);
      return Main.EXIT_OK;
    }
  }

  /** The file's config, with {@code maxMessageMib} in place of its {@code server.max_message_mb} when not null. */
  static RouterConfig load(Path configFile, @Nullable Integer maxMessageMib) throws ConfigException {
    RouterConfig loaded = RouterConfigLoader.withOfflinePrices().load(configFile);
    return maxMessageMib == null ? loaded : loaded.withMaxMessageMib(maxMessageMib);
  }
}
