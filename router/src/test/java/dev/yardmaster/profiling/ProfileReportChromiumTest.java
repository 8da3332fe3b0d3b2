package dev.yardmaster.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.profiler.report.ProfileHtmlReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The profile HTML report: self-contained, charts decode, and headless Chromium renders it. */
@Timeout(90)
class ProfileReportChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  static Profile profile() {
    List<GridPoint> cpu = List.of(
        new GridPoint(1, 1, 900, 1.0, 1.2, 1.3, 1.5, 0, 2.0, 1.1, new ServerSplit(0.05, 0.7, 1, 450, 450)),
        new GridPoint(8, 1, 5000, 1.5, 1.8, 1.9, 2.2, 0, 3.0, 1.6, new ServerSplit(0.05, 1.2, 8, 625, 625)),
        new GridPoint(64, 4, 20000, 12, 14, 15, 60, 0, 70.0, 12.8, new ServerSplit(8.5, 3.1, 64, 312, 312)));
    List<GridPoint> gpu = List.of(new GridPoint(1, 1, 1500, 0.6, 0.7, 0.8, 0.9, 0, 1.0),
        new GridPoint(64, 8, 90000, 4, 5, 5.5, 6, 0, 7.0));
    return new Profile(Profile.SCHEMA_VERSION, "higgs_mlp_v1", "2026-11-25T09:00:00Z", Profile.DEFAULT_TIERS, 0,
        List.of(new ProfileEntry("1", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.145, cpu, null),
            new ProfileEntry("1", "kserve", "gpu-a10g", "g5.xlarge", "gpu", 1.006, gpu, null))).withDerived();
  }

  @Test
  void chartsAreEmbeddedPngsThatDecode() throws Exception {
    String html = ProfileHtmlReport.render(profile(), List.of("inf2 (10.0.0.1:8001) endpoint: UNAVAILABLE"));
    assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
    assertThat(html).contains("Recommended choice per tier").contains("UNAVAILABLE");
    // the CPU backend has the server's split, the GPU one exposed no statistics
    assertThat(html).contains("<td>8.500</td><td>3.100</td><td>1.200</td><td>64.0</td>")
        .contains("queue/compute: n/a (backend exposes no statistics)");
    List<BufferedImage> images = images(html);
    assertThat(images).hasSize(2);
    for (BufferedImage image : images) {
      assertThat(image.getWidth()).isEqualTo(900);
      assertThat(image.getHeight()).isEqualTo(360);
      assertThat(distinctColours(image)).isGreaterThan(20);
    }
  }

  @Test
  void recommendsTheCheapestBackendMeetingEachTier() {
    List<ProfileHtmlReport.Choice> choices = ProfileHtmlReport.recommend(profile());
    // gold (50 ms): cpu 5000/s at $0.145/h ($0.0081 per 1M) vs gpu 90000/s at $1.006/h ($0.0031): gpu;
    // silver and bronze admit cpu's 20000/s point ($0.0020 per 1M): cpu
    assertThat(choices).extracting(ProfileHtmlReport.Choice::entry)
        .containsExactly("v1 kserve/gpu-a10g (g5.xlarge)", "v1 onnxruntime/cpu-local (c7g.xlarge)",
            "v1 onnxruntime/cpu-local (c7g.xlarge)");
  }

  @Test
  void headlessChromiumRendersTheReport() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium: apt-get install -y chromium");
    Path html = dir.resolve("report.html");
    Files.writeString(html, ProfileHtmlReport.render(profile(), List.of()));
    Path png = dir.resolve("shot.png");
    Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + dir.resolve("profile-dir"), "--screenshot=" + png,
        "--window-size=1200,2000", html.toUri().toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      throw new AssertionError("chromium did not finish in 60 s: " + Files.readString(dir.resolve("chromium.log")));
    }
    assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();
    BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(1200);
    // text, tables and two rendered charts: far more than a blank or broken-image page has
    assertThat(distinctColours(shot)).isGreaterThan(100);
  }

  private static List<BufferedImage> images(String html) throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    Matcher matcher = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    while (matcher.find()) {
      images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(matcher.group(1)))));
    }
    return images;
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
