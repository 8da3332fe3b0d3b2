package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.router.admission.AuthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth} section: token files relative to the config, every problem named. */
class AuthSectionTest {

  private static final String POOLS = """
      pools: [{name: cpu, accelerator: cpu, price_per_hour: 0.1, endpoints: ["127.0.0.1:9001"]}]
      """;

  @TempDir Path dir;

  private RouterConfig parse(String auth) throws ConfigException {
    return RouterConfigLoader.withOfflinePrices().parse(POOLS + auth, "router.yaml", dir);
  }

  @Test
  void noSectionMeansAuthOff() throws Exception {
    AuthConfig auth = parse("").auth();
    assertThat(auth.enabled()).isFalse();
    assertThat(auth.check(null, true)).isNull();
  }

  @Test
  void readsTokenFilesRelativeToTheConfig() throws Exception {
    Files.writeString(dir.resolve("tokens"), "# callers\n  alpha  \n\nbeta\n");
    Files.writeString(dir.resolve("admins"), "root-1\n");
    AuthConfig auth = parse("auth: {tokens_file: tokens, admin_tokens_file: admins}").auth();
    assertThat(auth.callerTokenDigests()).hasSize(2);
    assertThat(auth.check("Bearer alpha", false)).isNull();
    assertThat(auth.check("Bearer beta", true).refusal()).isEqualTo(AuthConfig.Refusal.PERMISSION_DENIED);
    assertThat(auth.check("Bearer root-1", true)).isNull();
    assertThat(auth.toString()).doesNotContain("alpha", "root-1");
  }

  @Test
  void namesEveryProblem() throws Exception {
    Files.writeString(dir.resolve("empty"), "# nothing yet\n");
    Files.writeString(dir.resolve("spaced"), "two words\n");
    assertThatThrownBy(() -> parse("auth: {tokens_file: missing, admin_tokens_file: empty, token: x}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.token: unknown key (expected: one of [admin_tokens_file, tokens_file])")
        .hasMessageContaining("auth.tokens_file: " + dir.resolve("missing") + " cannot be read")
        .hasMessageContaining("auth.admin_tokens_file: " + dir.resolve("empty") + " holds no token");
    assertThatThrownBy(() -> parse("auth: {admin_tokens_file: spaced}"))
        .hasMessageContaining("line 1: a token with spaces");
    assertThatThrownBy(() -> parse("auth: {}"))
        .hasMessageContaining("auth: object (empty) (expected: a mapping with tokens_file and/or admin_tokens_file)");
  }
}
