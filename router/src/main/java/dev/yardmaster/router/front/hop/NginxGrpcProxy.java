package dev.yardmaster.router.front.hop;

import dev.yardmaster.router.local.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx as the peer gRPC proxy: {@code grpc_pass} to one backend, started on loopback as a child
 * process ({@code daemon off}) from a conf generated in a work directory. Upstream connections are
 * kept alive and reused (without {@code keepalive} nginx opens one per request), and
 * {@code keepalive_requests} is raised on both sides, since its default of 1000 closes HTTP/2
 * connections mid-benchmark. One worker per core ({@code worker_processes auto}), as nginx is
 * usually run.
 */
final class NginxGrpcProxy implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  static final String MISSING = "nginx not installed (apt-get install nginx-light or nginx), skipping the peer proxy";

  private final Process process;
  private final int port;
  private final Path directory;
  private final Thread shutdownHook;

  private NginxGrpcProxy(Process process, int port, Path directory) {
    this.process = process;
    this.port = port;
    this.directory = directory;
    this.shutdownHook = ChildProcesses.terminateOnExit(process, "nginx-hop-shutdown", STOP_GRACE);
  }

  /** The nginx binary on the PATH or in /usr/sbin (where Debian puts it), if installed. */
  static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), Stream.of("/usr/sbin", "/usr/local/sbin"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "nginx"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** {@code nginx/1.22.1}, from {@code nginx -v}. */
  static String version(Path nginx) {
    try {
      Process v = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
      String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      v.waitFor(5, TimeUnit.SECONDS);
      return out.replace("nginx version: ", "");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** The conf: one server on {@code 127.0.0.1:listenPort}, http2, {@code grpc_pass} to the backend. */
  static String conf(Path directory, int listenPort, int backendPort) {
    String dir = directory.toAbsolutePath().toString();
    return """
        worker_processes auto;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          upstream yardmaster_backend {
            server 127.0.0.1:%3$d;
            keepalive 64;
            keepalive_requests 100000000;
            keepalive_timeout 300s;
          }
          server {
            listen 127.0.0.1:%2$d http2;
            keepalive_requests 100000000;
            keepalive_timeout 300s;
            client_max_body_size 64m;
            location / {
              grpc_pass grpc://yardmaster_backend;
              grpc_read_timeout 60s;
              grpc_send_timeout 60s;
            }
          }
        }
        """.formatted(dir, listenPort, backendPort);
  }

  /** Writes the conf under {@code directory} and starts nginx; returns once it accepts connections. */
  static NginxGrpcProxy start(Path nginx, Path directory, int backendPort, Duration timeout) {
    try {
      Files.createDirectories(directory);
      int port = freePort();
      Path conf = directory.resolve("nginx.conf");
      Files.writeString(conf, conf(directory, port, backendPort));
      Process process = new ProcessBuilder(nginx.toString(), "-p", directory.toAbsolutePath().toString(),
          "-c", conf.toAbsolutePath().toString(), "-e", directory.resolve("error.log").toAbsolutePath().toString(),
          "-g", "daemon off;")
          .redirectErrorStream(true)
          .redirectOutput(directory.resolve("nginx.out").toFile())
          .start();
      NginxGrpcProxy proxy = new NginxGrpcProxy(process, port, directory);
      proxy.awaitListening(timeout);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("nginx: " + e.getMessage(), e);
    }
  }

  int port() {
    return port;
  }

  /** The master process; the workers are its children. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  /** CPU time nginx has used so far, master and workers, in nanoseconds; -1 when the OS does not say. */
  long cpuNanos() {
    return ProcessCpu.nanos(process.toHandle());
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        // nginx is still starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why = process.isAlive() ? "not listening within " + timeout : "exited with " + process.exitValue();
        close();
        throw new IllegalStateException("nginx on 127.0.0.1:" + port + ": " + why + "; " + errorLog());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("nginx: interrupted while starting", e);
      }
    }
  }

  private String errorLog() {
    for (String name : List.of("error.log", "nginx.out")) {
      try {
        String text = Files.readString(directory.resolve(name)).strip();
        if (!text.isEmpty()) {
          return name + ": " + text;
        }
      } catch (IOException ignored) {
        // try the next file
      }
    }
    return "no error output";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** SIGTERM (nginx's fast shutdown, the master stops its workers), then a kill of all after 5 s. */
  @Override
  public void close() {
    ChildProcesses.terminate(process, STOP_GRACE);
    ChildProcesses.forget(shutdownHook);
  }
}
