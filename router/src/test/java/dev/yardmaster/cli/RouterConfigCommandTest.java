package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yardmaster serve --config FILE} refuses a bad config naming the key, before binding anything. */
class RouterConfigCommandTest {

  @TempDir Path dir;

  @Test
  void badConfigIsAUsageErrorNamingTheKey() throws Exception {
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, "pools:\n  - {name: gpu, accelerator: gpu, endpoints: [\"triton:8001\"]}\n");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      assertThat(Main.commandLine().execute("serve", "--config", file.toString())).isEqualTo(Main.EXIT_USAGE);
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString()).contains(
        "pools[0].price_per_hour: missing (expected: a price in dollars per hour, or an instance_type)");
  }
}
