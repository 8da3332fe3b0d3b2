package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.testsupport.Http11;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

  @Test
  void helpListsThePortsWithTritonDefaults() {
    CliRun run = CliRun.of("serve", "--help");
    assertThat(run.exit()).isEqualTo(Main.EXIT_OK);
    assertThat(run.out()).contains("--model-repository", "--http-port", "default: 8000",
        "--grpc-port", "default: 8001", "--metrics-port", "default: 8002", "--warmup-requests", "--cpu-share",
        "--max-message-mb", "server.max_message_mb", "--model-load-thread-count", "default: 4");
  }

  @Test
  void missingRepositoryIsAUsageError() {
    CliRun noSuchDirectory = CliRun.of("serve", "--model-repository", "/does/not/exist");
    assertThat(noSuchDirectory.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(noSuchDirectory.err())
        .contains("--model-repository: /does/not/exist (expected: an existing directory)");
    CliRun nothing = CliRun.of("serve");
    assertThat(nothing.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(nothing.err()).contains("serve: --model-repository or --config missing (expected: one of them)");
    CliRun badWarmup = CliRun.of("serve", "--config", "router.yaml", "--warmup-requests", "-1");
    assertThat(badWarmup.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(badWarmup.err()).contains("--warmup-requests: -1 (expected: >= 0)");
  }

  @Test
  void badRouterConfigIsAUsageErrorNamingTheKey(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("router.yaml");
    java.nio.file.Files.writeString(config, "pools:\n  - name: gpu\n    kind: kserve\n    endpoints: []\n");

    CliRun run = CliRun.of("serve", "--config", config.toString());

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.err()).contains("pools[0].endpoints");
  }

  @Test
  void unknownEmulationProfileIsAUsageError(@TempDir Path repository) {
    CliRun run = CliRun.of("serve", "--backend-only", "--model-repository", repository.toString(),
        "--emulate", "tpu-v9");

    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.err()).contains("tpu-v9");
  }

  @Test
  void aModelLoadThreadCountOutOfRangeIsAUsageError(@TempDir Path repository) {
    for (String threads : new String[] {"0", "65"}) {
      CliRun run = CliRun.of("serve", "--backend-only", "--model-repository", repository.toString(),
          "--model-load-thread-count", threads);
      assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
      assertThat(run.err()).contains("--model-load-thread-count: " + threads + " (expected: >= 1 and <= 64)");
    }
  }

  @Test
  void aCpuShareOutOfRangeOrWithAnEmulatedDeviceIsAUsageError(@TempDir Path repository) {
    CliRun zero = CliRun.of("serve", "--backend-only", "--model-repository", repository.toString(),
        "--cpu-share", "0");
    assertThat(zero.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(zero.err()).contains("--cpu-share: 0.0 (expected: > 0 and <= 1)");

    CliRun emulated = CliRun.of("serve", "--backend-only", "--model-repository", repository.toString(),
        "--emulate", "inf2", "--cpu-share", "0.5");
    assertThat(emulated.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(emulated.err()).contains("cpu_share: 0.5 (expected: none with an emulated device inf2;");
  }

  @Test
  void aMaxMessageSizeOutOfRangeIsAUsageErrorWithARepositoryOrARouterConfig(@TempDir Path repository)
      throws Exception {
    CliRun zero = CliRun.of("serve", "--model-repository", repository.toString(), "--max-message-mb", "0");
    assertThat(zero.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(zero.err()).contains("--max-message-mb: 0 (expected: >= 1 and <= 2047)");

    Path config = repository.resolve("router.yaml");
    java.nio.file.Files.writeString(config, "pools: []\n");
    CliRun routed = CliRun.of("serve", "--config", config.toString(), "--max-message-mb", "2048");
    assertThat(routed.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(routed.err()).contains("--max-message-mb: 2048 (expected: >= 1 and <= 2047)");
  }

  @Test
  void aMaxMessageSizeOnTheCommandLineWinsOverTheRouterConfigs(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("router.yaml");
    java.nio.file.Files.writeString(config, """
        server: {max_message_mb: 8}
        pools: [{name: cpu, accelerator: cpu, price_per_hour: 0.17, endpoints: ["127.0.0.1:9001"]}]
        """);

    assertThat(RouterLauncher.load(config, null).maxMessageMib()).as("the file's").isEqualTo(8);
    assertThat(RouterLauncher.load(config, 512).maxMessageMib()).as("--max-message-mb 512").isEqualTo(512);
  }

  /**
   * The real thing: a separate JVM serving the demo repository, ready over HTTP, refusing a body
   * above its --max-message-mb, stopped by SIGTERM.
   */
  @Test
  void servesTheDemoRepositoryInItsOwnProcessAndStopsOnSigterm(@TempDir Path repository) throws Exception {
    dev.yardmaster.backend.onnx.DemoModels.writeRepository(repository, true);
    Process process = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "serve", "--model-repository", repository.toString(),
            "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0", "--max-message-mb", "1")
        .redirectErrorStream(true)
        .start();
    try (java.io.BufferedReader output = new java.io.BufferedReader(
        new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      java.util.regex.Pattern serving = java.util.regex.Pattern.compile("http (\\d+), grpc (\\d+), metrics (\\d+)");
      java.util.regex.Matcher ports = null;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      for (String line; ports == null && System.nanoTime() < deadline && (line = output.readLine()) != null; ) {
        java.util.regex.Matcher matcher = serving.matcher(line);
        if (matcher.find()) {
          ports = matcher;
        }
      }
      assertThat(ports).as("the serving line with its ports").isNotNull();
      java.net.http.HttpResponse<String> ready = Http11.client().send(
          java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + ports.group(1) + "/v2/models/wide_mlp/ready")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      java.net.http.HttpResponse<String> tooLarge = Http11.client().send(
          java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + ports.group(1) + "/v2/models/wide_mlp/infer"))
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(tooLarge.statusCode()).as("a 2 MiB body against --max-message-mb 1").isEqualTo(413);
      process.destroy();
      assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    } finally {
      process.destroyForcibly();
    }
  }
}
