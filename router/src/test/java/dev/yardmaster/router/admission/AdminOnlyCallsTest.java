package dev.yardmaster.router.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuthConfig#checkAdmin}: calls only admins may make (RepositoryModelLoad/Unload). */
class AdminOnlyCallsTest {

  private final AuthConfig auth = AuthConfig.ofTokens(List.of("caller-1"), List.of("admin-1"));

  @Test
  void anAdminTokenMayCall() {
    assertThat(auth.checkAdmin("Bearer admin-1", "RepositoryModelLoad")).isNull();
    assertThat(auth.checkAdmin("  bearer admin-1 ", "RepositoryModelLoad")).isNull();
  }

  @Test
  void aCallerTokenIsDeniedNamingTheCallAndTheNeed() {
    AuthConfig.Refused refused = auth.checkAdmin("Bearer caller-1", "RepositoryModelUnload");
    assertThat(refused).isNotNull();
    assertThat(refused.refusal()).isEqualTo(AuthConfig.Refusal.PERMISSION_DENIED);
    assertThat(refused.message()).contains("RepositoryModelUnload", "admin token", "auth.admin_tokens_file")
        .doesNotContain("caller-1");
  }

  @Test
  void missingOrUnknownTokensAreUnauthenticatedAsForAnyCall() {
    assertThat(auth.checkAdmin(null, "RepositoryModelLoad").refusal()).isEqualTo(AuthConfig.Refusal.UNAUTHENTICATED);
    assertThat(auth.checkAdmin("Bearer guessed", "RepositoryModelLoad").refusal())
        .isEqualTo(AuthConfig.Refusal.UNAUTHENTICATED);
  }

  @Test
  void withAuthOffEveryoneMayCall() {
    assertThat(AuthConfig.off().checkAdmin(null, "RepositoryModelLoad")).isNull();
    assertThat(AuthConfig.off().checkAdmin("Bearer anything", "RepositoryModelLoad")).isNull();
  }
}
