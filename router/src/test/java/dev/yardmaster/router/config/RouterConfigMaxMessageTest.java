package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code server.max_message_mb}: the router's message limit, 64 MiB unless set, 1 to 2047. */
class RouterConfigMaxMessageTest {

  private static final String POOLS = """
      pools:
        - {name: cpu, accelerator: cpu, price_per_hour: 0.17, endpoints: ["10.0.0.1:8001"]}
      """;

  @Test
  void isSixtyFourMibWhenNotSet() throws Exception {
    RouterConfig config = RouterConfigLoaderTest.LOADER.parse(POOLS, "router.yaml");

    assertThat(config.maxMessageMib()).isEqualTo(64);
    assertThat(config.maxMessageBytes()).isEqualTo(64 * 1024 * 1024);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 256, 2047})
  void takesAnyWholeMibFromOneTo2047(int mib) throws Exception {
    RouterConfig config = RouterConfigLoaderTest.LOADER.parse(
        "server: {grpc_port: 9001, max_message_mb: " + mib + "}\n" + POOLS, "router.yaml");

    assertThat(config.maxMessageMib()).isEqualTo(mib);
    assertThat(config.maxMessageBytes()).isEqualTo(mib * 1024 * 1024);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "2048", "4096", "lots", "1.5", "'64'", "[64]"})
  void refusesAnythingElseNamingTheKeyAndTheRange(String value) {
    assertThatThrownBy(() -> RouterConfigLoaderTest.LOADER.parse(
        "server: {max_message_mb: " + value + "}\n" + POOLS, "router.yaml"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
            .asString()
            .startsWith("server.max_message_mb: ")
            .endsWith(" (expected: an integer >= 1 and <= 2047)"));
  }

  @Test
  void theCommandLineValueReplacesTheFilesAndIsCheckedLikeIt() throws Exception {
    RouterConfig config = RouterConfigLoaderTest.LOADER.parse("server: {max_message_mb: 8}\n" + POOLS, "router.yaml");

    assertThat(config.withMaxMessageMib(512).maxMessageMib()).isEqualTo(512);
    assertThatThrownBy(() -> config.withMaxMessageMib(2048))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessageMib: 2048 (expected: >= 1 and <= 2047)");
  }
}
