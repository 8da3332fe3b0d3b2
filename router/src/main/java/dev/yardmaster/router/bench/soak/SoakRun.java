package dev.yardmaster.router.bench.soak;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.profiler.load.ClosedLoopDriver;
import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.sweep.ModelInputs;
import dev.yardmaster.router.bench.BenchReport;
import dev.yardmaster.router.local.LocalBackend;
import dev.yardmaster.router.local.LocalBackendProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Runs one soak: writes the demo repository (batching on), launches {@code serve --backend-only}
 * on it as a child process {@code startups} times, timing each to ready, and keeps the last one;
 * then drives the closed-loop load in equal windows, sampling the process's memory after each;
 * stops the server (SIGTERM) and judges the budgets.
 */
public final class SoakRun {

  /** The leading share of windows the growth budget leaves out: heap sizing and JIT settle there. */
  public static final double WARM_UP_SHARE = 0.2;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  private static final long SEED = 0x50A4L;
  private static final double MIB = 1024.0 * 1024.0;
  /** Tries of one /metrics scrape before a sample goes without heap figures. */
  private static final int SCRAPE_ATTEMPTS = 3;
  /** The old generation's pool in G1, Serial and Parallel collectors. */
  private static final List<String> OLD_GENERATION_POOLS = List.of("G1 Old Gen", "Tenured Gen", "PS Old Gen");

  private final SoakReport.Settings settings;
  private final PrintWriter progress;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private SoakRun(SoakReport.Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs the soak in {@code workDir} (its model repository goes there), reporting progress. */
  public static SoakReport run(Path workDir, SoakReport.Settings settings, PrintWriter progress)
      throws IOException {
    if (settings.startups() < 1) {
      throw new IllegalArgumentException("startups: " + settings.startups() + " (expected: >= 1)");
    }
    return new SoakRun(settings, progress).run(workDir);
  }

  private SoakReport run(Path workDir) throws IOException {
    Path repository = workDir.resolve("repository");
    DemoModels.writeRepository(repository, true);
    LocalBackend backend = new LocalBackend("soak", repository, null, settings.serverJvmOptions());
    List<Double> startups = new ArrayList<>();
    LocalBackendProcess server = null;
    for (int launch = 1; launch <= settings.startups(); launch++) {
      long started = System.nanoTime();
      server = LocalBackendProcess.start(backend, START_TIMEOUT);
      startups.add((System.nanoTime() - started) / 1e9);
      progress.printf(Locale.ROOT, "soak: launch %d of %d ready in %.2f s (pid %d)%n", launch,
          settings.startups(), startups.get(startups.size() - 1), server.pid());
      progress.flush();
      if (launch < settings.startups()) {
        server.stop();
      }
    }
    int windows = (int) Math.max(1, Math.ceil(settings.durationSeconds() / settings.windowSeconds() - 1e-9));
    Duration window = Duration.ofNanos((long) (settings.durationSeconds() * 1e9 / windows));
    int warmUpWindows = (int) Math.ceil(windows * WARM_UP_SHARE);
    List<SoakSample> samples;
    int exitCode;
    try (LocalBackendProcess soaked = Objects.requireNonNull(server, "server")) {
      samples = soak(soaked, windows, window);
      exitCode = soaked.stop();
    }
    progress.printf(Locale.ROOT, "soak: server stopped, exit code %d%n", exitCode);
    progress.flush();
    OptionalDouble liveGrowth = FootprintBudgets.growthMiB(samples, warmUpWindows, SoakSample::liveHeapMiB);
    return new SoakReport(Instant.now().toString(), BenchReport.Machine.current(), settings, startups, samples,
        warmUpWindows, liveGrowth.isPresent() ? liveGrowth.getAsDouble() : null, exitCode,
        FootprintBudgets.check(startups, samples, warmUpWindows));
  }

  private List<SoakSample> soak(LocalBackendProcess server, int windows, Duration window) {
    Target target = new Target("127.0.0.1", server.grpcPort());
    List<SoakSample> samples = new ArrayList<>(windows);
    try (LoadChannels channels = LoadChannels.open(target, LoadSpec.defaultChannels(settings.concurrency()))) {
      RequestFactory requests = mixedRequests(channels);
      ClosedLoopDriver driver = ClosedLoopDriver.create();
      long loadStart = System.nanoTime();
      for (int w = 1; w <= windows; w++) {
        LoadResult result = driver.run(LoadSpec.builder(target, requests)
            .concurrency(settings.concurrency())
            .channels(channels.size())
            .warmUp(Duration.ZERO)
            .measure(window)
            .deadline(CALL_DEADLINE)
            .build(), channels);
        SoakSample sample = sample((System.nanoTime() - loadStart) / 60e9, result, server);
        samples.add(sample);
        progress.println(progressLine(w, windows, sample));
        progress.flush();
      }
    }
    return samples;
  }

  /** Stream {@code i} calls model {@code i % models}, with batch-1 requests of random rows. */
  private RequestFactory mixedRequests(LoadChannels channels) {
    List<RequestFactory> byModel = new ArrayList<>();
    for (String model : settings.models()) {
      byModel.add(ModelInputs.fetch(channels.forStream(0), model, "").forBatch(1, SEED));
    }
    return (stream, sequence) -> byModel.get(stream % byModel.size()).create(stream, sequence);
  }

  private SoakSample sample(double minutes, LoadResult result, LocalBackendProcess server) {
    Optional<ProcessMemory> memory = ProcessMemory.read(server.pid());
    String metrics = scrape(server.metricsPort());
    return new SoakSample(minutes, result.inferencesPerSecond(), result.p99Ms(), result.requests(),
        result.totalErrors(),
        memory.map(m -> m.rssBytes() / MIB).orElse(null),
        memory.map(m -> m.peakRssBytes() / MIB).orElse(null),
        mib(MetricsText.sum(metrics, "jvm_memory_used_bytes", Map.of("area", "heap"))),
        mib(oldGeneration(metrics)),
        mib(MetricsText.sum(metrics, "jvm_gc_live_data_size_bytes", Map.of()).stream()
            .filter(bytes -> bytes > 0).findFirst()), // 0 until an old-generation collection
        mib(MetricsText.sum(metrics, "jvm_buffer_memory_used_bytes", Map.of("id", "direct"))));
  }

  private static OptionalDouble oldGeneration(String metrics) {
    for (String pool : OLD_GENERATION_POOLS) {
      OptionalDouble used = MetricsText.sum(metrics, "jvm_memory_used_bytes", Map.of("id", pool));
      if (used.isPresent()) {
        return used;
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * The server's {@code /metrics} text, asked up to {@value #SCRAPE_ATTEMPTS} times (a busy server
   * may drop one); empty when it never answers (the sample then lacks heap figures).
   */
  private String scrape(int metricsPort) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build();
    for (int attempt = 1; attempt <= SCRAPE_ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException unanswered) {
        // asked again below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }
    return "";
  }

  private static @Nullable Double mib(OptionalDouble bytes) {
    return bytes.isPresent() ? bytes.getAsDouble() / MIB : null;
  }

  private static String progressLine(int window, int windows, SoakSample sample) {
    return String.format(Locale.ROOT, "soak: window %d of %d at %.1f min: %.0f inf/s, p99 %.1f ms, %d errors;"
            + " resident %s MiB (peak %s), heap %s MiB (old generation %s), direct %s MiB",
        window, windows, sample.minutes(), sample.inferencesPerSecond(), sample.p99Ms(), sample.errors(),
        figure(sample.rssMiB()), figure(sample.peakRssMiB()), figure(sample.heapUsedMiB()),
        figure(sample.oldGenMiB()), figure(sample.directMiB()));
  }

  static String figure(@Nullable Double mib) {
    return mib == null ? "n/a" : String.format(Locale.ROOT, "%.0f", mib);
  }
}
