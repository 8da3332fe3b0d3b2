package dev.yardmaster.cli;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.cpushare.CpuShare;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.emulated.AcceleratorProfileSources;
import dev.yardmaster.router.front.RouterWarmup;
import dev.yardmaster.router.local.BackendManagers;
import dev.yardmaster.router.server.ServerPreinit;
import dev.yardmaster.router.server.YardmasterServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yardmaster serve}: serves a model repository over KServe v2 HTTP/gRPC with Triton metrics. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve a Triton-layout model repository (KServe v2 HTTP/JSON, gRPC, Prometheus metrics).")
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Router config (YAML, `pools:` of remote KServe v2 endpoints); reloaded on change.")
  Path config;

  @Option(names = "--model-repository", paramLabel = "DIR",
      description = "Triton-layout repository: DIR/<model>/config.pbtxt and DIR/<model>/<version>/model.onnx.")
  Path modelRepository;

  @Option(names = "--http-port", defaultValue = "8000", description = "HTTP/JSON port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "8001", description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int grpcPort;

  @Option(names = "--metrics-port", defaultValue = "8002", description = "Prometheus port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int metricsPort;

  @Option(names = "--backend-only",
      description = "Serve as a plain KServe v2 backend (like one Triton instance) for a router to front.")
  boolean backendOnly;

  @Option(names = "--emulate", paramLabel = "PROFILE",
      description = "Emulate an accelerator: a built-in profile (gpu-a10g, inf2), a JSON/YAML accelerator profile,"
          + " or a yardmaster profile FILE[#pool]. Outputs come from ONNX Runtime on CPU, paced by the profile.")
  @Nullable String emulate;

  @Option(names = "--cpu-share", paramLabel = "SHARE", defaultValue = "1",
      description = "Hold each ONNX Runtime instance to this share of one core (> 0 and <= 1): an execution that"
          + " used c of CPU returns no earlier than c / SHARE after it started, as on a slower core or a container"
          + " limited to that share. Default ${DEFAULT-VALUE}: no limit. Not with --emulate.")
  double cpuShare;

  @Option(names = "--warmup-requests", paramLabel = "N", defaultValue = "0",
      description = "With --config: before ServerReady says true, send at least N batch-1 zero-filled requests of"
          + " the smallest ready model through the router, then more until the JIT compiler has settled (30 s at"
          + " most), to compile its forward path. They reach the pools' backends and count in metrics like any"
          + " request. Default ${DEFAULT-VALUE}: no warm-up.")
  int warmupRequests;

  @Option(names = "--model-load-thread-count", defaultValue = "4", paramLabel = "N",
      description = "With --model-repository: how many models load at the same time at start, 1 to "
          + RepositoryOptions.MAX_LOAD_THREADS + " (default: ${DEFAULT-VALUE}, as Triton's).")
  int modelLoadThreads;

  @Option(names = "--max-message-mb", paramLabel = "MIB",
      description = "The largest gRPC message and HTTP body, in MiB (1 to " + RouterConfig.MAX_MESSAGE_MIB
          + "; default " + RouterConfig.DEFAULT_MAX_MESSAGE_MIB + "). With --config it replaces the file's"
          + " server.max_message_mb, for callers and endpoints alike. Triton takes up to 2 GiB: raise this for large"
          + " tensors, within the JVM's heap (YARDMASTER_JAVA_OPTS=-Xmx...).")
  @Nullable Integer maxMessageMb;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (maxMessageMb != null && (maxMessageMb < 1 || maxMessageMb > RouterConfig.MAX_MESSAGE_MIB)) {
      err.println("--max-message-mb: " + maxMessageMb + " (expected: >= 1 and <= " + RouterConfig.MAX_MESSAGE_MIB
          + ")");
      return Main.EXIT_USAGE;
    }
    ServerPreinit.start(); // the server stack initializes while the config and models load
    if (config != null) {
      if (warmupRequests < 0) {
        err.println("--warmup-requests: " + warmupRequests + " (expected: >= 0)");
        return Main.EXIT_USAGE;
      }
      return RouterLauncher.run(config, maxMessageMb, err,
          warmupRequests == 0 ? RouterWarmup.none() : RouterWarmup.upTo(warmupRequests));
    }
    if (modelRepository == null) {
      err.println("serve: --model-repository or --config missing (expected: one of them)");
      return Main.EXIT_USAGE;
    }
    if (!Files.isDirectory(modelRepository)) {
      err.println("--model-repository: " + modelRepository + " (expected: an existing directory)");
      return Main.EXIT_USAGE;
    }
    AcceleratorProfile emulated;
    ModelManager manager;
    try {
      emulated = emulate == null ? null : AcceleratorProfileSources.resolve(emulate);
      manager = BackendManagers.of(modelRepository, emulated, cpuShare(cpuShare), loadThreads(modelLoadThreads));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return Main.EXIT_USAGE;
    }
    int backendMessageMib = maxMessageMb == null ? RouterConfig.DEFAULT_MAX_MESSAGE_MIB : maxMessageMb;
    YardmasterServer server;
    try {
      server = YardmasterServer.builder(manager)
          .httpPort(httpPort).grpcPort(grpcPort).metricsPort(metricsPort)
          .maxMessageBytes(RouterConfig.mibInBytes(backendMessageMib))
          .meterRegistry(BackendManagers.meterRegistry(manager))
          .build()
          .start();
    } catch (RuntimeException failure) {
      manager.close();
      err.println("serve: " + failure.getMessage());
      return Main.EXIT_FAILURE;
    }
    err.printf("yardmaster serving %s: http %d, grpc %d, metrics %d%s%n",
        modelRepository, server.httpPort(), server.grpcPort(), server.metricsPort(),
        BackendServing.describe(backendOnly, emulated, cpuShare));
    UntilShutdown.await("yardmaster-shutdown", server::stop);
    return Main.EXIT_OK;
  }

  /** Every model loaded at start on {@code threads} threads, naming the option when it is out of range. */
  private static RepositoryOptions loadThreads(int threads) {
    try {
      return RepositoryOptions.loadAllModels().withLoadThreads(threads);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--model-load-thread-count: " + threads + " (expected: >= 1 and <= "
          + RepositoryOptions.MAX_LOAD_THREADS + ")", e);
    }
  }

  /** The share, naming the option when it is out of range. */
  private static CpuShare cpuShare(double share) {
    try {
      return new CpuShare(share);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cpu-share: " + share + " (expected: > 0 and <= 1)", e);
    }
  }
}
