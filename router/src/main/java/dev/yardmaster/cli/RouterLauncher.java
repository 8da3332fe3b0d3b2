package dev.yardmaster.cli;

import dev.yardmaster.router.config.ConfigException;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.front.RouterWarmup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code yardmaster serve --config FILE}: runs the router over the file's pools until shutdown. */
final class RouterLauncher {

  private RouterLauncher() {}

  static int run(Path configFile, PrintWriter err, RouterWarmup warmup) throws InterruptedException {
    RouterConfig config;
    try {
      config = RouterConfigLoader.withOfflinePrices().load(configFile);
    } catch (ConfigException bad) {
      err.println(bad.getMessage());
      return Main.EXIT_USAGE;
    }
    RouterServer server;
    try {
      server = RouterServer.start(config, configFile, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 1000, warmup);
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
