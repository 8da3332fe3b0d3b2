package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileFiles;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ProfileCommandTest {

  @TempDir Path dir;
  private CliRun last = new CliRun(-1, "", "");

  /** Runs the CLI; {@link #last} keeps what it wrote. */
  private int run(String... args) {
    last = CliRun.of(args);
    return last.exit();
  }

  @Test
  void localProfileWritesJsonAndHtmlThenUpdateMergesAndCompareShowsDeltas() throws Exception {
    String[] grid = {"--batch", "1,8", "--concurrency", "1,2", "--warm-up", "100ms", "--window", "100ms", "--point-cap", "500ms",
        "--price-source", "offline"};
    int code = run(concat(new String[] {"profile", "--local", "--model", "higgs_mlp_v1", "--out", dir.toString()},
        grid));
    assertThat(code).as(last.err()).isEqualTo(Main.EXIT_OK);
    assertThat(last.out()).contains("higgs_mlp_v1 v1 on cpu-local (onnxruntime, c7g.xlarge, cpu")
        .contains("infer/s").contains("$ per 1M").contains("gold");
    assertThat(last.err()).contains("[").contains("4/4").contains("wrote ");
    Path file = dir.resolve("higgs_mlp_v1.json");
    Path first = dir.resolve("first.json");
    Files.copy(file, first);
    assertThat(Files.readString(dir.resolve("higgs_mlp_v1.html"))).contains("data:image/png;base64,");

    code = run(concat(new String[] {"profile", "--local", "--model", "higgs_mlp_v1", "--pool", "cpu-other",
        "--price-per-hour", "0.5", "--out", dir.toString(), "--update", "--quiet"}, grid));
    assertThat(code).as(last.err()).isEqualTo(Main.EXIT_OK);
    Profile merged = ProfileFiles.read(file);
    assertThat(merged.entries()).extracting(e -> e.pool()).containsExactly("cpu-local", "cpu-other");
    assertThat(merged.entries().get(1).pricePerHour()).isEqualTo(0.5);

    assertThat(run("profile", "--compare", first.toString(), file.toString())).isEqualTo(Main.EXIT_OK);
    assertThat(last.out()).contains("1/onnxruntime/cpu-local -> 1/onnxruntime/cpu-local")
        .contains("only in B: 1/onnxruntime/cpu-other").containsPattern("[+-]\\d+\\.\\d%");

    assertThat(run("profile", "--compare", first.toString(), file.toString(), "--format", "json"))
        .isEqualTo(Main.EXIT_OK);
    JsonNode json = new ObjectMapper().readTree(last.out());
    assertThat(json.get("entries").get(0).get("points")).hasSize(4);
    assertThat(json.get("entries").get(0).get("tiers")).hasSize(3);
    assertThat(json.get("onlyInB").get(0).asText()).isEqualTo("1/onnxruntime/cpu-other");
  }

  @Test
  void unreachableTargetIsReportedAndNothingWritten() {
    int code = run("profile", "--model", "higgs_mlp_v1", "--target", "127.0.0.1:1", "--batch", "1",
        "--concurrency", "1", "--out", dir.toString());
    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(last.err()).contains("missing: remote-1 (127.0.0.1:1) endpoint: UNAVAILABLE");
    assertThat(last.out()).contains("missing:");
    assertThat(dir.resolve("higgs_mlp_v1.json")).doesNotExist();
  }

  @Test
  void invalidProfileForCompareNamesTheField() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"schema_version\":1,\"model\":\"m\",\"tiers\":[],\"entries\":[{}]}");
    assertThat(run("profile", "--compare", bad.toString(), bad.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(last.err()).contains("profile bad.json: entries[0]");
  }

  @Test
  void badGridIsAUsageError() {
    assertThat(run("profile", "--local", "--model", "higgs_mlp_v1", "--batch", "1,x")).isEqualTo(Main.EXIT_USAGE);
    assertThat(last.err()).contains("--batch: '1,x' (expected: comma-separated integers >= 1)");
  }

  @Test
  void rejectedAwsCredentialsAreReportedPerSourceAndTheOfflineTablePrices() throws Exception {
    try (PriceListEndpoint aws = PriceListEndpoint.rejecting()) {
      int code = run(concat(pricedRun(aws), new String[] {"--aws-profile", "pricing"}));
      assertThat(code).as(last.err()).isEqualTo(Main.EXIT_OK);
      assertThat(aws.requests()).as("AWS was asked once, then remembered as rejected").isEqualTo(1);
      String rejected = "aws-price-list: credentials rejected (UnrecognizedClientException: The security token"
          + " included in the request is invalid.) (expected: credentials AWS accepts, allowed pricing:GetProducts)";
      assertThat(last.out()).contains("prices (source per instance type")
          .containsPattern("cpu-local +c7g\\.xlarge +us-east-1 +0\\.\\d{4} +offline-table")
          .contains(rejected);
      assertThat(Files.readString(dir.resolve("higgs_mlp_v1.html"))).contains("<h2>Prices</h2>")
          .contains("offline-table").contains("credentials rejected (UnrecognizedClientException");
      Profile profile = ProfileFiles.read(dir.resolve("higgs_mlp_v1.json"));
      assertThat(profile.entries().get(0).pricePerHour()).isPositive();
    }
  }

  @Test
  void missingAwsProfileIsNoCredentialsAndAwsIsNeverCalled() throws Exception {
    try (PriceListEndpoint aws = PriceListEndpoint.rejecting()) {
      int code = run(concat(pricedRun(aws), new String[] {"--aws-profile", "nobody"}));
      assertThat(code).as(last.err()).isEqualTo(Main.EXIT_OK);
      assertThat(aws.requests()).isZero();
      assertThat(last.out()).contains("offline-table")
          .contains("aws-price-list: no credentials (").contains("nobody")
          .contains("(expected: AWS credentials: --aws-profile NAME");
    }
  }

  /**
   * Ctrl-C for real: {@code yardmaster profile} runs as a child JVM (this test's classpath), gets
   * SIGINT after its first point, and must still write the partial profile, report and summary,
   * marking the planned points it did not measure.
   */
  @Test
  @Timeout(180)
  void sigintMidSweepWritesThePartialProfileAndMarksUnmeasuredPoints() throws Exception {
    // 18 points of 0.5 s or more: a loaded box that is slow to deliver the signal cannot see the
    // sweep finish first (8 points of 0.3 s once ended before SIGINT arrived: exit 0, not 130)
    int planned = 18;
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "profile", "--local", "--model", "higgs_mlp_v1", "--out", dir.toString(),
        "--batch", "1,2,4,8,16,32", "--concurrency", "1,2,4", "--warm-up", "100ms", "--window", "400ms",
        "--point-cap", "1s", "--price-source", "offline")
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(stderr).contains("] 1/" + planned + " cpu-local")) {
        assertThat(child.isAlive()).as("child exited early: %s", Files.readString(stderr)).isTrue();
        assertThat(System.nanoTime()).as("no first point within 120 s: %s", Files.readString(stderr))
            .isLessThan(deadline);
        Thread.sleep(50);
      }
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
      assertThat(kill.waitFor()).isZero();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child ended after SIGINT").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("exit status after SIGINT").isEqualTo(130);

    Profile partial = ProfileFiles.read(dir.resolve("higgs_mlp_v1.json"));
    assertThat(partial.partial()).isTrue();
    int measured = partial.entries().get(0).grid().size();
    assertThat(measured).isBetween(1, planned - 1);
    assertThat(partial.unmeasured()).hasSize(planned - measured)
        .allSatisfy(p -> assertThat(p.reason()).isEqualTo("interrupted"))
        .contains(new Profile.UnmeasuredPoint("cpu-local", 32, 4, "interrupted"));
    String summary = Files.readString(stdout);
    assertThat(summary).as("stdout; stderr was: %s", Files.readString(stderr)).contains("higgs_mlp_v1 v1 on cpu-local").contains("not measured (" + (planned - measured))
        .contains("cpu-local (interrupted): ").contains("b=32 c=4")
        .contains("interrupted: partial results, " + (planned - measured) + " planned points not measured");
    assertThat(Files.readString(dir.resolve("higgs_mlp_v1.html"))).contains("planned points not measured: ")
        .contains("b=32 c=4");
    assertThat(Files.readString(stderr)).contains("wrote " + dir.resolve("higgs_mlp_v1.json"));
  }

  @Test
  void selfBenchJudgesByTheMedianOfPairedRoundsAndReportsBothSides() {
    ProfileSelfBench.DriverVsRaw result = new ProfileSelfBench.DriverVsRaw(List.of(
        new ProfileSelfBench.Round(900, 1000), // 0.9
        new ProfileSelfBench.Round(2000, 1000), // 2.0: a noisy round must not decide
        new ProfileSelfBench.Round(1900, 2000), // 0.95
        new ProfileSelfBench.Round(500, 1000)), 7); // 0.5
    assertThat(result.pairedRatio()).isCloseTo(0.925, within(1e-9));
    assertThat(result.driverMedian()).isEqualTo(1400.0);
    assertThat(result.rawMedian()).isEqualTo(1000.0);
    assertThat(result.ratioOfMedians()).isCloseTo(1.4, within(1e-9));
    assertThat(ProfileSelfBench.toText(result, 0, 0, false))
        .contains("    2         2000.0         1000.0   2.000  (raw first)")
        .contains("after 7 warm-up windows per side: driver 1400.0 infer/s, raw grpc-java loop 1000.0 infer/s")
        .contains("median of paired rounds 0.925 (min 0.500, max 2.000), of medians 1.400 (target >= 0.9)")
        .doesNotContain("full default profile");
    assertThat(ProfileSelfBench.toJson(result, 12.5, 49)).contains("\"ratio\": 0.925", "\"warm_up_windows\": 7",
        "{\"driver\": 900.0, \"raw\": 1000.0, \"ratio\": 0.900}", "\"full_profile_points\": 49");
  }

  @Test
  void unknownPriceSourceIsAUsageError() {
    assertThat(run("profile", "--local", "--model", "higgs_mlp_v1", "--price-source", "aws,ebay"))
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(last.err()).contains("--price-source: 'aws,ebay' (expected: comma-separated, each once,"
        + " from cache, aws, offline");
  }

  /** A one-point local run priced by aws then offline, AWS at {@code aws}, credentials in the temp dir. */
  private String[] pricedRun(PriceListEndpoint aws) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "[pricing]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\n"
        + "aws_secret_access_key = wJalrXUtnFEMIexampleexampleexampleexample\n");
    return new String[] {"profile", "--local", "--model", "higgs_mlp_v1", "--out", dir.toString(), "--quiet",
        "--batch", "1", "--concurrency", "1", "--warm-up", "50ms", "--window", "100ms", "--point-cap", "400ms",
        "--price-source", "aws,offline", "--aws-endpoint", aws.uri().toString(),
        "--aws-credentials-file", credentials.toString(), "--price-cache", dir.resolve("prices.json").toString()};
  }

  /** A local Price List endpoint that rejects every request's credentials as AWS does (HTTP 400). */
  private static final class PriceListEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private PriceListEndpoint() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        requests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] body = ("{\"__type\":\"UnrecognizedClientException\","
            + "\"message\":\"The security token included in the request is invalid.\"}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(400, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(body);
        }
      });
      server.start();
    }

    static PriceListEndpoint rejecting() throws IOException {
      return new PriceListEndpoint();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
      return requests.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
