package dev.yardmaster.router.front.hop;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.local.ChildProcesses;
import dev.yardmaster.router.local.ProcessOutput;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Yardmaster router as its own process ({@code yardmaster serve --config FILE}, this JVM's
 * classpath) with one pool of one endpoint, so that it, like nginx, gets a process of its own
 * beside the load generator and the backend. Ready once ServerReady through it answers true.
 */
final class RouterProcess implements AutoCloseable {

  private static final Pattern PORTS = Pattern.compile("yardmaster router serving pools .*: grpc (\\d+), metrics (\\d+)");
  private static final int KEPT_LINES = 30;

  private final Process process;
  private final Thread shutdownHook;
  private final ProcessOutput output = new ProcessOutput(KEPT_LINES);
  private final CompletableFuture<Integer> grpcPort = new CompletableFuture<>();

  private RouterProcess(Process process) {
    this.process = process;
    this.shutdownHook = ChildProcesses.terminateOnExit(process, "router-hop-shutdown", Duration.ZERO);
    Thread reader = new Thread(this::readOutput, "router-hop-output");
    reader.setDaemon(true);
    reader.start();
  }

  static String config(int backendPort) {
    return """
        server: {grpc_port: 0, metrics_port: 0}
        pools:
          - name: cpu
            accelerator: cpu
            price_per_hour: 0.17
            endpoints: ["127.0.0.1:%d"]
        """.formatted(backendPort);
  }

  static RouterProcess start(Path directory, int backendPort, List<String> jvmOptions, Duration timeout) {
    try {
      Files.createDirectories(directory);
      Path config = directory.resolve("router.yaml");
      Files.writeString(config, config(backendPort));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.yardmaster.cli.Main",
          "serve", "--config", config.toAbsolutePath().toString(), "--warmup-requests", "10000"));
      RouterProcess router = new RouterProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
      router.awaitReady(timeout);
      return router;
    } catch (IOException e) {
      throw new UncheckedIOException("router process: " + e.getMessage(), e);
    }
  }

  int grpcPort() {
    return grpcPort.join();
  }

  /** CPU time the router process has used so far, in nanoseconds; -1 when the OS does not say. */
  long cpuNanos() {
    return ProcessCpu.nanos(process.toHandle());
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int port;
    try {
      port = grpcPort.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception noStartupLine) {
      throw failure("no startup line within " + timeout);
    }
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
      while (true) {
        try {
          if (stub.withDeadlineAfter(1, TimeUnit.SECONDS).serverReady(ServerReadyRequest.getDefaultInstance())
              .getReady()) {
            return;
          }
        } catch (RuntimeException notYet) {
          // asked again below
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw failure(process.isAlive() ? "not ready within " + timeout : "exited with " + process.exitValue());
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while starting");
    } finally {
      channel.shutdownNow();
    }
  }

  private IllegalStateException failure(String why) {
    close();
    return new IllegalStateException("router process: " + why + "; last output:\n  "
        + String.join("\n  ", output.lines()));
  }

  private void readOutput() {
    output.read(process, line -> {
      Matcher ports = PORTS.matcher(line);
      if (!grpcPort.isDone() && ports.find()) {
        grpcPort.complete(Integer.parseInt(ports.group(1)));
      }
    });
    grpcPort.completeExceptionally(new IllegalStateException("exited"));
  }

  /** SIGTERM (the router drains and exits), then a kill after 10 s. */
  @Override
  public void close() {
    ChildProcesses.terminate(process, Duration.ofSeconds(10));
    ChildProcesses.forget(shutdownHook);
  }

}
