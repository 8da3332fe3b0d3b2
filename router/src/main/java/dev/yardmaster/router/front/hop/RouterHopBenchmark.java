package dev.yardmaster.router.front.hop;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.router.bench.BenchReport;
import dev.yardmaster.router.bench.ReportFiles;
import dev.yardmaster.router.local.LocalBackend;
import dev.yardmaster.router.local.LocalBackendProcess;
import dev.yardmaster.router.server.NettyLeakDetection;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The router hop, measured: the same closed-loop load of batch-1 higgs_mlp_v1 calls (c = 1, 16, 64)
 * straight to a backend, through the Yardmaster router, and through nginx {@code grpc_pass} (when
 * installed). The backend, the router and nginx each run as their own process on loopback; the
 * load generator is this JVM. Prints p50/p99 added and the throughput each proxy keeps, checks
 * DESIGN.md's budgets, and writes {@code router-hop-*.json}.
 *
 * <p>The router process is {@code yardmaster serve --warmup-requests 10000}, which warms its own
 * forward path before ServerReady says true ({@link dev.yardmaster.router.front.RouterWarmup}, until its JIT settles, up to 30 s); the benchmark
 * waits for that. Each fresh JVM then gets {@code --process-warmup} seconds (default 10) of
 * unrecorded load at c=16. Then, in each CPU {@link Topology} (shared, then proxy-core), every
 * concurrency runs {@code --rounds} (3) rounds of direct, router, nginx back to back, each point
 * {@code --warmup} (1) unrecorded and {@code --measure} (3) recorded seconds; each proxy is compared
 * with the direct run of its own round, and the budgets take the median over rounds.
 * {@code ROUTER_HOP_ROUTER_JAVA_OPTS} adds options to the router's JVM, e.g.
 * {@code -XX:StartFlightRecording=filename=router.jfr,dumponexit=true} to profile it.
 * {@code --router-in-process true} runs the router in this JVM instead, beside the load generator.
 * Run: {@code benchmarks/router-hop.sh [--process-warmup S] [--warmup S] [--measure S] [--rounds N]
 * [--out DIR] [--router-in-process true]}.
 */
public final class RouterHopBenchmark {

  static final int[] CONCURRENCIES = {1, 16, 64};
  static final int PROCESS_WARMUP_CONCURRENCY = 16;
  static final List<String> ROUTER_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");
  /** Extra JVM options for the router process, e.g. {@code -XX:StartFlightRecording=filename=router.jfr}. */
  static final String ROUTER_JAVA_OPTS_ENV = "ROUTER_HOP_ROUTER_JAVA_OPTS";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private RouterHopBenchmark() {}

  public static void main(String[] args) throws Exception {
    NettyLeakDetection.offUnlessConfigured(); // the load generator's CPU is taken from the paths it measures
    Map<String, String> options = options(args);
    double warmup = Double.parseDouble(options.getOrDefault("--warmup", "1"));
    double measure = Double.parseDouble(options.getOrDefault("--measure", "3"));
    double processWarmup = Double.parseDouble(options.getOrDefault("--process-warmup", "10"));
    int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
    if (rounds < 1) {
      throw new IllegalArgumentException("router-hop: --rounds " + rounds + " (expected: >= 1)");
    }
    boolean routerInProcess = Boolean.parseBoolean(options.getOrDefault("--router-in-process", "false"));
    List<String> routerJvmOptions = routerJvmOptions(System.getenv(ROUTER_JAVA_OPTS_ENV));
    Path out = Path.of(options.getOrDefault("--out", "target/bench"));
    Path work = out.resolve("router-hop");
    Path repository = work.resolve("models");
    DemoModels.writeRepository(repository, true);

    Optional<Path> nginxBinary = NginxGrpcProxy.find();
    String nginx = nginxBinary.map(NginxGrpcProxy::version).orElse(NginxGrpcProxy.MISSING);
    if (nginxBinary.isEmpty()) {
      System.out.println(NginxGrpcProxy.MISSING);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    String setup = "one machine, " + cores + " cores, loopback: load generator (this JVM, one channel), backend"
        + " (serve --backend-only, own JVM " + LocalBackend.DEFAULT_JVM_OPTIONS + "), router ("
        + (routerInProcess ? "in the load generator's JVM" : "serve --config, own JVM " + routerJvmOptions)
        + "), nginx " + nginx + " (own processes, worker_processes auto)";
    System.out.println("router hop: " + setup);
    if (cores <= 4) {
      System.out.println("note: on " + cores + " cores, in topology shared every proxy takes its CPU from the backend"
          + " and the load generator, so at c=64 the ratio measures CPU sharing as much as the proxy's own cost;"
          + " topology proxy-core gives each proxy a core of its own, as deployed");
    }

    List<HopReport.Point> points = new ArrayList<>();
    List<Topology> topologies = new ArrayList<>();
    try (LocalBackendProcess backend = LocalBackendProcess.start(LocalBackend.cpu("hop-backend", repository),
            START_TIMEOUT);
        HopRouter router = routerInProcess ? HopRouter.inProcess(backend.grpcPort(), START_TIMEOUT)
            : HopRouter.process(work, backend.grpcPort(), routerJvmOptions, START_TIMEOUT);
        @Nullable NginxGrpcProxy proxy = nginxBinary.isEmpty() ? null
            : NginxGrpcProxy.start(nginxBinary.get(), work.resolve("nginx"), backend.grpcPort(), Duration.ofSeconds(10))) {
      List<HopPath> paths = new ArrayList<>();
      paths.add(new HopPath("direct", backend.grpcPort(), () -> -1L));
      paths.add(new HopPath("router", router.grpcPort(), router::cpuNanos));
      if (proxy != null) {
        paths.add(new HopPath("nginx", proxy.port(), proxy::cpuNanos));
      }
      Map<HopPath, ManagedChannel> channels = new LinkedHashMap<>();
      paths.forEach(path -> channels.put(path,
          ManagedChannelBuilder.forAddress("127.0.0.1", path.port()).usePlaintext().build()));
      LongSupplier backendCpu = () -> ProcessCpu.nanos(backend.handle());
      Optional<CpuAffinity> affinity = CpuAffinity.find();
      boolean routerOwnProcess = router.process().isPresent();
      List<Integer> cpus = affinity.isPresent() ? CpuAffinity.parse(CpuAffinity.allowed(ProcessHandle.current().pid()))
          : IntStream.range(0, cores).boxed().toList();
      topologies.addAll(Topology.plan(cpus, affinity.isPresent(), routerOwnProcess));
      Topology.skipped(cpus.size(), affinity.isPresent(), routerOwnProcess).ifPresent(System.out::println);
      try {
        for (ManagedChannel channel : channels.values()) {
          ClosedLoopLoad.run(channel, PROCESS_WARMUP_CONCURRENCY, processWarmup, 0.001); // the JITs of fresh JVMs
        }
        for (Topology topology : topologies) {
          affinity.ifPresent(pinning -> place(pinning, topology, router.process(), proxy));
          System.out.printf("%ntopology %s: %s%n", topology.name(), topology.describe());
          points.addAll(sweep(topology.name(), rounds, channels, backendCpu, warmup, measure));
        }
      } finally {
        channels.values().forEach(ManagedChannel::shutdownNow);
      }
    }
    HopReport report = report(points, processWarmup, warmup, measure, rounds, setup, topologies, nginx);
    System.out.printf("%nbudgets, on the median of %d rounds (range in brackets):%n", rounds);
    for (HopReport.Budget budget : report.budgets()) {
      System.out.printf("%-10s %-6s %-28s %10.2f %s %-6s %s  [%.2f..%.2f]%n", budget.topology(), budget.proxy(),
          budget.name(), budget.measured(), budget.comparison(), trim(budget.limit()),
          budget.passed() ? "PASS" : "FAIL", budget.min(), budget.max());
    }
    Path file = ReportFiles.write(out, "router-hop", report, Instant.parse(report.at()));
    System.out.println("wrote " + file);
  }

  /**
   * Every concurrency in {@code rounds} rounds over the paths in order (direct first, so each proxy
   * follows its own round's direct run); prints each point as it is measured.
   */
  private static List<HopReport.Point> sweep(String topology, int rounds, Map<HopPath, ManagedChannel> channels,
      LongSupplier backendCpu, double warmup, double measure) throws InterruptedException {
    System.out.printf("%-4s %-5s %-7s %9s %9s %9s %6s %11s %11s | %9s %9s %6s%n", "c", "round", "path", "p50 µs",
        "p99 µs", "req/s", "errors", "proxy CPU", "backend CPU", "+p50 µs", "+p99 µs", "ratio");
    List<HopReport.Point> points = new ArrayList<>();
    for (int concurrency : CONCURRENCIES) {
      for (int round = 1; round <= rounds; round++) {
        HopReport.Point direct = null;
        for (Map.Entry<HopPath, ManagedChannel> path : channels.entrySet()) {
          long proxyCpuBefore = path.getKey().cpuNanos().getAsLong();
          long backendCpuBefore = backendCpu.getAsLong();
          ClosedLoopLoad.Result result = ClosedLoopLoad.run(path.getValue(), concurrency, warmup, measure);
          HopReport.Point point = new HopReport.Point(topology, round, path.getKey().name(), concurrency,
              result.p50Micros(), result.p99Micros(), result.perSecond(), result.errors(),
              perRequestMicros(proxyCpuBefore, path.getKey().cpuNanos().getAsLong(), result.answered()),
              perRequestMicros(backendCpuBefore, backendCpu.getAsLong(), result.answered()));
          points.add(point);
          direct = direct == null ? point : direct;
          print(point, point == direct ? null : HopReport.Added.of(direct, point));
        }
      }
    }
    return points;
  }

  static HopReport report(List<HopReport.Point> points, double processWarmup, double warmup, double measure,
      int rounds, String setup, List<Topology> topologies, String nginx) {
    List<HopReport.Added> added = new ArrayList<>();
    for (HopReport.Point point : points) {
      if (!point.path().equals("direct")) {
        points.stream()
            .filter(p -> p.path().equals("direct") && p.topology().equals(point.topology())
                && p.round() == point.round() && p.concurrency() == point.concurrency())
            .findFirst().ifPresent(direct -> added.add(HopReport.Added.of(direct, point)));
      }
    }
    List<HopReport.Budget> budgets = new ArrayList<>();
    int top = points.stream().mapToInt(HopReport.Point::concurrency).max().orElse(1);
    for (Topology topology : topologies) {
      for (String proxy : List.of("router", "nginx")) {
        List<HopReport.Added> atOne = added.stream().filter(a -> a.topology().equals(topology.name())
            && a.proxy().equals(proxy) && a.concurrency() == 1).toList();
        List<HopReport.Added> atTop = added.stream().filter(a -> a.topology().equals(topology.name())
            && a.proxy().equals(proxy) && a.concurrency() == top).toList();
        if (!atOne.isEmpty() && !atTop.isEmpty()) {
          budgets.addAll(HopReport.Budget.of(atOne, atTop));
        }
      }
    }
    return new HopReport(Instant.now().toString(), BenchReport.Machine.current(), processWarmup, warmup, measure,
        rounds, setup, List.copyOf(topologies), nginx, points, added, budgets);
  }

  /**
   * Puts this JVM (the load generator) and every process it started on the topology's load CPUs,
   * then the router and nginx (master and workers) on its proxy CPUs.
   */
  private static void place(CpuAffinity affinity, Topology topology, Optional<ProcessHandle> router,
      @Nullable NginxGrpcProxy nginx) {
    affinity.pin(ProcessHandle.current(), topology.loadAndBackendCpus());
    router.ifPresent(process -> affinity.pin(process, topology.proxyCpus()));
    if (nginx != null) {
      affinity.pin(nginx.handle(), topology.proxyCpus());
    }
  }

  /** The router's JVM options: the defaults, then those of {@code extra} (space separated; null: none). */
  static List<String> routerJvmOptions(@Nullable String extra) {
    List<String> options = new ArrayList<>(ROUTER_JVM_OPTIONS);
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.trim().split("\\s+")));
    }
    return options;
  }

  /** A path the load takes: its port, and the CPU clock of the proxy on it (-1: none, or not known). */
  record HopPath(String name, int port, LongSupplier cpuNanos) {}

  /** CPU µs per answered request between two readings; -1 when either reading is unknown. */
  static double perRequestMicros(long beforeNanos, long afterNanos, long answered) {
    return beforeNanos < 0 || afterNanos < 0 || answered == 0 ? -1 : (afterNanos - beforeNanos) / 1000.0 / answered;
  }

  private static void print(HopReport.Point point, HopReport.@Nullable Added added) {
    String extra = added == null ? ""
        : String.format(" | %9d %9d %6.2f", added.p50Micros(), added.p99Micros(), added.throughputRatio());
    System.out.printf("%-4d %-5d %-7s %9d %9d %9.0f %6d %11s %11s%s%n", point.concurrency(), point.round(), point.path(),
        point.p50Micros(), point.p99Micros(), point.perSecond(), point.errors(), cpu(point.proxyCpuMicrosPerRequest()),
        cpu(point.backendCpuMicrosPerRequest()), extra);
  }

  private static String cpu(double microsPerRequest) {
    return microsPerRequest < 0 ? "-" : String.format("%.0f µs/req", microsPerRequest);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      if (!List.of("--process-warmup", "--warmup", "--measure", "--rounds", "--out", "--router-in-process")
          .contains(key) || i + 1 == args.length) {
        throw new IllegalArgumentException("router-hop: " + key
            + " (expected: --process-warmup SECONDS, --warmup SECONDS, --measure SECONDS, --rounds N, --out DIR,"
            + " --router-in-process true|false)");
      }
      options.put(key, args[++i]);
    }
    return options;
  }
}
