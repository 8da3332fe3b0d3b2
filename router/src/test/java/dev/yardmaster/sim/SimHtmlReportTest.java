package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SimHtmlReportTest {

  @Test
  void embedsThreePngChartsAndNothingExternal() {
    Scenario scenario = Scenarios.seed(40, 400);
    Trace trace = scenario.trace().make(1, 3_000_000_000L);
    Comparison comparison = Comparison.run(scenario, trace, 1,
        SimPolicy.parseList("cost-aware,gpu-only"), 20, line -> { });
    String html = HtmlReport.render(comparison);
    Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int count = 0;
    while (images.find()) {
      byte[] png = Base64.getDecoder().decode(images.group(1));
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
      count++;
    }
    assertThat(count).isEqualTo(3);
    assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
    assertThat(html).contains("cost-aware").contains("gpu-only");
  }
}
