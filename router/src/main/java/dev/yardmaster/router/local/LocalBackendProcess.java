package dev.yardmaster.router.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code yardmaster serve --backend-only} child process on loopback ephemeral ports.
 *
 * <p>{@link #start} launches it with this JVM's classpath, reads the three ports from its startup
 * line, and waits (bounded) until {@code /v2/health/ready} answers 200. {@link #stop()} sends
 * SIGTERM (the server drains and exits), then kills it after a bound. A JVM shutdown hook stops
 * any process still running, so none is left behind when the parent exits.
 */
public final class LocalBackendProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalBackendProcess.class);
  private static final Pattern PORTS = Pattern.compile("http (\\d+), grpc (\\d+), metrics (\\d+)");
  private static final int KEPT_LINES = 50;
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration EXIT_GRACE = Duration.ofSeconds(3);

  private final LocalBackend backend;
  private final Process process;
  private final Thread shutdownHook;
  private final Thread outputReader;
  private final ProcessOutput output = new ProcessOutput(KEPT_LINES);
  private final CompletableFuture<String> startupLine = new CompletableFuture<>();
  private volatile int httpPort;
  private volatile int grpcPort;
  private volatile int metricsPort;

  private LocalBackendProcess(LocalBackend backend, Process process) {
    this.backend = backend;
    this.process = process;
    this.shutdownHook = ChildProcesses.terminateOnExit(process,
        "yardmaster-local-backend-" + backend.name() + "-shutdown", EXIT_GRACE);
    this.outputReader = new Thread(this::readOutput, "yardmaster-local-backend-" + backend.name() + "-output");
    outputReader.setDaemon(true);
    outputReader.start();
  }

  /**
   * Starts the process and waits until it is ready.
   *
   * @throws IllegalStateException when it exits, or is not ready within {@code timeout}; the process
   *     is stopped and the message carries its last output lines
   */
  public static LocalBackendProcess start(LocalBackend backend, Duration timeout) {
    LocalBackendProcess started = launch(backend);
    try {
      started.awaitReady(timeout);
      return started;
    } catch (RuntimeException failure) {
      started.stop();
      throw failure;
    }
  }

  /** Launches the process without waiting; follow with {@link #awaitReady}. */
  public static LocalBackendProcess launch(LocalBackend backend) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(backend.jvmOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.yardmaster.cli.Main",
        "serve", "--backend-only", "--model-repository", backend.repository().toString(),
        "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0"));
    if (backend.emulate() != null) {
      command.addAll(List.of("--emulate", backend.emulate()));
    }
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new LocalBackendProcess(backend, process);
    } catch (IOException e) {
      throw new UncheckedIOException("local backend " + backend.name() + ": " + e.getMessage(), e);
    }
  }

  /** Waits for the startup line, then for {@code /v2/health/ready}; both within {@code timeout}. */
  public LocalBackendProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      startupLine.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw failure("no startup line within " + timeout);
    } catch (ExecutionException e) {
      throw failure(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while starting");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(httpUri() + "/v2/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (true) {
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          log.info("local backend {} ready: pid {}, {}", backend.name(), pid(), startupLine.join());
          return this;
        }
      } catch (IOException notYet) {
        // listening soon; retried below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for ready");
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw failure(process.isAlive() ? "not ready within " + timeout : "exited with " + process.exitValue());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for ready");
      }
    }
  }

  private void readOutput() {
    output.read(process, line -> {
      Matcher ports = PORTS.matcher(line);
      if (!startupLine.isDone() && line.startsWith("yardmaster serving") && ports.find()) {
        httpPort = Integer.parseInt(ports.group(1));
        grpcPort = Integer.parseInt(ports.group(2));
        metricsPort = Integer.parseInt(ports.group(3));
        startupLine.complete(line);
      }
    });
    startupLine.completeExceptionally(new IllegalStateException("exited before serving"));
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException("local backend " + backend.name() + ": " + what
        + " (expected: ready on /v2/health/ready); last output:\n" + String.join("\n", recentOutput()));
  }

  /**
   * SIGTERM, then SIGKILL when it has not exited within {@code grace}. Idempotent.
   *
   * @return the exit code
   */
  public int stop(Duration grace) {
    try {
      if (!ChildProcesses.terminate(process, grace)) {
        log.warn("local backend {}: still running {} after SIGTERM (expected: exited); killed it",
            backend.name(), grace);
      }
      outputReader.join(1_000); // so recentOutput() ends with the process's last words
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      ChildProcesses.forget(shutdownHook);
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** {@link #stop(Duration)} with a 10 s grace. */
  public int stop() {
    return stop(STOP_GRACE);
  }

  @Override
  public void close() {
    stop();
  }

  public LocalBackend backend() {
    return backend;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int metricsPort() {
    return metricsPort;
  }

  /** {@code 127.0.0.1:<grpc port>}, as a pool endpoint. */
  public String grpcAddress() {
    return "127.0.0.1:" + grpcPort;
  }

  /** {@code http://127.0.0.1:<http port>}. */
  public String httpUri() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The line the process announced its ports with; empty before it has. */
  public String startupLine() {
    return startupLine.isDone() && !startupLine.isCompletedExceptionally() ? startupLine.join() : "";
  }

  /** The last lines the process wrote (stdout and stderr together). */
  public List<String> recentOutput() {
    return output.lines();
  }

  @Override
  public String toString() {
    return backend.name() + "(pid " + pid() + ", grpc " + grpcAddress() + ")";
  }
}
