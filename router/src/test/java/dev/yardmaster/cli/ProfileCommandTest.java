package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class ProfileCommandTest {

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void localProfileWritesJsonAndHtmlThenUpdateMergesAndCompareShowsDeltas() throws Exception {
    String[] grid = {"--batch", "1,8", "--concurrency", "1,2", "--warm-up", "100ms", "--window", "100ms", "--point-cap", "500ms"};
    int code = run(concat(new String[] {"profile", "--local", "--model", "higgs_mlp_v1", "--out", dir.toString()},
        grid));
    assertThat(code).as(err.toString()).isEqualTo(Main.EXIT_OK);
    assertThat(out.toString()).contains("higgs_mlp_v1 v1 on cpu-local (onnxruntime, c7g.xlarge, cpu")
        .contains("infer/s").contains("$ per 1M").contains("gold");
    assertThat(err.toString()).contains("[").contains("4/4").contains("wrote ");
    Path file = dir.resolve("higgs_mlp_v1.json");
    Path first = dir.resolve("first.json");
    Files.copy(file, first);
    assertThat(Files.readString(dir.resolve("higgs_mlp_v1.html"))).contains("data:image/png;base64,");

    code = run(concat(new String[] {"profile", "--local", "--model", "higgs_mlp_v1", "--pool", "cpu-other",
        "--price-per-hour", "0.5", "--out", dir.toString(), "--update", "--quiet"}, grid));
    assertThat(code).as(err.toString()).isEqualTo(Main.EXIT_OK);
    Profile merged = ProfileFiles.read(file);
    assertThat(merged.entries()).extracting(e -> e.pool()).containsExactly("cpu-local", "cpu-other");
    assertThat(merged.entries().get(1).pricePerHour()).isEqualTo(0.5);

    assertThat(run("profile", "--compare", first.toString(), file.toString())).isEqualTo(Main.EXIT_OK);
    assertThat(out.toString()).contains("1/onnxruntime/cpu-local -> 1/onnxruntime/cpu-local")
        .contains("only in B: 1/onnxruntime/cpu-other").containsPattern("[+-]\\d+\\.\\d%");

    assertThat(run("profile", "--compare", first.toString(), file.toString(), "--format", "json"))
        .isEqualTo(Main.EXIT_OK);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("entries").get(0).get("points")).hasSize(4);
    assertThat(json.get("entries").get(0).get("tiers")).hasSize(3);
    assertThat(json.get("onlyInB").get(0).asText()).isEqualTo("1/onnxruntime/cpu-other");
  }

  @Test
  void unreachableTargetIsReportedAndNothingWritten() {
    int code = run("profile", "--model", "higgs_mlp_v1", "--target", "127.0.0.1:1", "--batch", "1",
        "--concurrency", "1", "--out", dir.toString());
    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString()).contains("missing: remote-1 (127.0.0.1:1) endpoint: UNAVAILABLE");
    assertThat(out.toString()).contains("missing:");
    assertThat(dir.resolve("higgs_mlp_v1.json")).doesNotExist();
  }

  @Test
  void invalidProfileForCompareNamesTheField() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"schema_version\":1,\"model\":\"m\",\"tiers\":[],\"entries\":[{}]}");
    assertThat(run("profile", "--compare", bad.toString(), bad.toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("profile bad.json: entries[0]");
  }

  @Test
  void badGridIsAUsageError() {
    assertThat(run("profile", "--local", "--model", "higgs_mlp_v1", "--batch", "1,x")).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains("--batch: '1,x' (expected: comma-separated integers >= 1)");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
