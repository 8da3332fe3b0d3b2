package dev.yardmaster.router.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AdmissionConfig;
import dev.yardmaster.router.grpcwire.OversizedRequests;
import dev.yardmaster.router.server.grpc.BenchEchoService;
import dev.yardmaster.router.server.grpc.GrpcFormats;
import dev.yardmaster.router.server.grpc.InferenceGrpcService;
import dev.yardmaster.router.server.grpc.MessageCompression;
import dev.yardmaster.router.server.grpc.PassedDeadlines;
import dev.yardmaster.router.server.grpc.StreamRequestLength;
import dev.yardmaster.router.server.grpc.UnaryPassThrough;
import dev.yardmaster.router.server.http.KServeHttpService;
import dev.yardmaster.router.server.metrics.JvmMeters;
import dev.yardmaster.router.server.metrics.MetricsService;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.TritonMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KServe v2 / Triton-compatible server: HTTP/JSON, gRPC and Prometheus metrics on their own
 * ports (Triton's 8000, 8001 and 8002 by default; 0 picks a free one) over one
 * {@link ModelManager}.
 *
 * <p>{@link #stop()} is graceful: new inferences are refused, accepted ones finish and their
 * responses are written, then the listeners close and the model manager is closed.
 */
public final class YardmasterServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(YardmasterServer.class);

  private final ServingCore core;
  private final Server http;
  private final Server grpc;
  private final Server metrics;
  private final Duration drainTimeout;
  private final JvmMeters jvmMeters;
  private final Object lifecycle = new Object();
  private boolean started;
  private boolean stopped;

  private YardmasterServer(Builder builder) {
    this.core = new ServingCore(builder.manager);
    this.drainTimeout = builder.drainTimeout;
    MeterRegistry registry = builder.meterRegistry != null
        ? builder.meterRegistry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.jvmMeters = JvmMeters.bind(registry);
    AdmittedInference inference = new AdmittedInference(core, Admission.create(builder.admission),
        new RequestMetrics(registry, builder.poolName, builder.admission.tiers()));

    ServerBuilder httpBuilder = base(builder.httpPort, builder.maxMessageBytes);
    KServeHttpService.bind(httpBuilder, core, inference);
    this.http = httpBuilder.build();

    // Armeria's own server meters (event loops, blocking executor) once: the three servers share them
    ServerBuilder grpcBuilder = base(builder.grpcPort, builder.maxMessageBytes).meterRegistry(registry)
        .errorHandler(OversizedRequests.naming(builder.maxMessageBytes,
            (builder.maxMessageBytes >> 20) + " MiB, the server's --max-message-mb"))
        .decorator(new StreamRequestLength());
    InferenceGrpcService inferenceService = new InferenceGrpcService(core, inference);
    GrpcService grpcService = GrpcService.builder()
        .addService(inferenceService)
        .addService(new BenchEchoService())
        .supportedSerializationFormats(GrpcFormats.PROTOBUF)
        .maxRequestMessageLength(builder.maxMessageBytes)
        .maxResponseMessageLength(builder.maxMessageBytes)
        .decompressorRegistry(MessageCompression.decompressors())
        .compressorRegistry(MessageCompression.compressors())
        .exceptionHandler(PassedDeadlines.thenDefault())
        .build();
    if (builder.passThrough) { // in front of the service: unary ModelInfer and Echo skip grpc-java
      UnaryPassThrough passThrough = new UnaryPassThrough(inferenceService);
      grpcBuilder.service(grpcService, delegate -> delegate.decorate(passThrough));
    } else {
      grpcBuilder.service(grpcService);
    }
    this.grpc = grpcBuilder.build();

    ServerBuilder metricsBuilder = base(builder.metricsPort, 1024 * 1024);
    metricsBuilder.service("/metrics", new MetricsService(new TritonMetrics(core.manager()), registry));
    this.metrics = metricsBuilder.build();
  }

  private static ServerBuilder base(int port, int maxRequestBytes) {
    return Server.builder()
        .http(port)
        .childChannelPipelineCustomizer(FlushConsolidation::consolidateOutsideReads)
        // clients read neither; encoding them is work on every response (Triton sends neither on gRPC)
        .disableServerHeader()
        .disableDateHeader()
        .maxRequestLength(maxRequestBytes)
        .requestTimeout(Duration.ZERO) // streams stay open; models enforce their own timeouts
        .gracefulShutdownTimeout(Duration.ofMillis(50), Duration.ofSeconds(10))
        .bossGroupFactory(QuickStopBossGroup::new) // an idle stop takes milliseconds, not 2 s
        // in-flight inferences are drained before the listeners stop, so a short GOAWAY grace will do
        .connectionDrainDuration(Duration.ofMillis(100));
  }

  public static Builder builder(ModelManager manager) {
    return new Builder(manager);
  }

  /** Binds the three ports and starts serving; blocks until all listen. */
  public YardmasterServer start() {
    synchronized (lifecycle) {
      if (started) {
        throw new IllegalStateException("server: already started (expected: start() once)");
      }
      started = true;
    }
    try {
      CompletableFuture.allOf(http.start(), grpc.start(), metrics.start()).join();
    } catch (RuntimeException failure) {
      for (Server server : List.of(http, grpc, metrics)) {
        server.stop().join();
      }
      throw failure;
    }
    log.info("yardmaster listening: http {}, grpc {}, metrics {}", httpPort(), grpcPort(), metricsPort());
    return this;
  }

  /** The bound HTTP port (the ephemeral one when configured as 0). */
  public int httpPort() {
    return http.activeLocalPort();
  }

  public int grpcPort() {
    return grpc.activeLocalPort();
  }

  public int metricsPort() {
    return metrics.activeLocalPort();
  }

  /** Whether the server accepts new inferences. */
  public boolean accepting() {
    return core.accepting();
  }

  /** Inferences accepted and not yet answered, over both protocols: what {@link #stop()} waits for. */
  public int inFlight() {
    return core.inFlight();
  }

  /**
   * Stops gracefully: refuses new inferences, waits up to the drain timeout for accepted ones,
   * closes the listeners (after in-flight responses are written), then closes the model manager.
   * Idempotent.
   */
  public void stop() {
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    long startNanos = System.nanoTime();
    try {
      core.stopAccepting().get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException timeout) {
      log.warn("server: {} inferences still in flight after {} (expected: none); stopping anyway",
          core.inFlight(), drainTimeout);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException impossible) {
      throw new IllegalStateException(impossible);
    }
    core.runStopListeners();
    long drainedNanos = System.nanoTime();
    CompletableFuture.allOf(http.stop(), grpc.stop(), metrics.stop()).join();
    long closedNanos = System.nanoTime();
    core.manager().close();
    jvmMeters.close();
    log.info("yardmaster stopped: drained in {} ms, listeners closed in {} ms",
        (drainedNanos - startNanos) / 1_000_000, (closedNanos - drainedNanos) / 1_000_000);
  }

  @Override
  public void close() {
    stop();
  }

  /** Options of a {@link YardmasterServer}; defaults are Triton's ports. */
  public static final class Builder {
    private final ModelManager manager;
    private int httpPort = 8000;
    private int grpcPort = 8001;
    private int metricsPort = 8002;
    private int maxMessageBytes = 64 * 1024 * 1024;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private @Nullable MeterRegistry meterRegistry;
    private AdmissionConfig admission = AdmissionConfig.defaults();
    private String poolName = "local";
    private boolean passThrough = UnaryPassThrough.enabled();

    private Builder(ModelManager manager) {
      this.manager = manager;
    }

    public Builder httpPort(int port) {
      this.httpPort = checkPort("httpPort", port);
      return this;
    }

    public Builder grpcPort(int port) {
      this.grpcPort = checkPort("grpcPort", port);
      return this;
    }

    public Builder metricsPort(int port) {
      this.metricsPort = checkPort("metricsPort", port);
      return this;
    }

    /** Largest request or response message (gRPC) and request body (HTTP); default 64 MiB. */
    public Builder maxMessageBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxMessageBytes: " + bytes + " (expected: > 0)");
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /** How long {@link #stop()} waits for in-flight inferences; default 30 s. */
    public Builder drainTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("drainTimeout: " + timeout + " (expected: >= 0)");
      }
      this.drainTimeout = timeout;
      return this;
    }

    /**
     * Where Armeria's meters and the JVM's ({@link JvmMeters}) go; a {@link PrometheusMeterRegistry}
     * is also scraped on /metrics. One registry per server: the JVM's collections would count twice
     * on a shared one.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /** SLA tiers and the default tier; default gold 50 ms, silver 150 ms, bronze best effort, bronze. */
    public Builder admission(AdmissionConfig config) {
      this.admission = config;
      return this;
    }

    /** The pool the in-process models form: {@code x-yardmaster-pool} and the {@code pool} label; default "local". */
    public Builder poolName(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("poolName: \"" + name + "\" (expected: non-blank)");
      }
      this.poolName = name;
      return this;
    }

    /**
     * Whether unary ModelInfer and Echo skip grpc-java ({@link UnaryPassThrough}); default on,
     * unless the system property {@value UnaryPassThrough#ENABLED_PROPERTY} is {@code false}.
     */
    public Builder passThrough(boolean enabled) {
      this.passThrough = enabled;
      return this;
    }

    public YardmasterServer build() {
      return new YardmasterServer(this);
    }

    private static int checkPort(String field, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(field + ": " + port + " (expected: >= 0 and <= 65535)");
      }
      return port;
    }
  }
}
