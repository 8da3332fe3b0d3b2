package dev.yardmaster.router.routing;

import static dev.yardmaster.router.routing.PacedBackend.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC, a router with {@code auth} on (token files beside the config): calls need a
 * known bearer token, pinning a pool needs an admin token, health calls need none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PinningNeedsAnAdminTokenTest {

  private static final Metadata.Key<String> AUTHORIZATION = key("authorization");
  private static final Metadata.Key<String> PIN = key("x-yardmaster-pool");

  @TempDir Path dir;
  private PacedBackend cheap;
  private PacedBackend fast;
  private RouterFixture router;

  @BeforeEach
  void start() throws Exception {
    cheap = PacedBackend.parallel(1);
    fast = PacedBackend.parallel(1);
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/tokens"), "# callers\ncaller-token-1\n\n");
    Files.writeString(dir.resolve("secrets/admin-tokens"), "admin-token-1\n");
    router = RouterFixture.start(dir, """
        server: {grpc_port: 0, metrics_port: 0}
        auth: {tokens_file: secrets/tokens, admin_tokens_file: secrets/admin-tokens}
        pools:
          - {name: cheap, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"], health_check: {interval_ms: 50}}
          - {name: fast, accelerator: gpu, price_per_hour: 1.0, endpoints: ["%s"], health_check: {interval_ms: 50}}
        """.formatted(cheap.endpoint(), fast.endpoint()));
  }

  @AfterEach
  void stop() {
    router.close();
    cheap.close();
    fast.close();
  }

  @Test
  void callsNeedAKnownBearerToken() {
    assertRefused(stub(null, null), Status.Code.UNAUTHENTICATED, "authorization", "missing", "Bearer <token>");
    assertRefused(stub("Basic YWRtaW4=", null), Status.Code.UNAUTHENTICATED, "authorization", "not a bearer token");
    assertRefused(stub("Bearer guessed", null), Status.Code.UNAUTHENTICATED, "unknown bearer token");
    assertThat(stub("Bearer caller-token-1", null).modelInfer(request("tabular")).getModelName()).isEqualTo("tabular");
    assertThat(stub("bearer admin-token-1", null).modelInfer(request("tabular")).getModelName()).isEqualTo("tabular");
    assertThat(stub(null, null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(router.registry().scrape()).containsPattern(
        "yardmaster_requests_total\\{[^}]*outcome=\"unauthenticated\"[^}]*} 3.0");
  }

  @Test
  void onlyAdminsPinAPool() {
    assertRefused(stub("Bearer caller-token-1", "fast"), Status.Code.PERMISSION_DENIED, "x-yardmaster-pool",
        "admin token");
    // a caller learns nothing about pool names by pinning an unknown one
    assertRefused(stub("Bearer caller-token-1", "tpu"), Status.Code.PERMISSION_DENIED, "x-yardmaster-pool");
    AtomicReference<Metadata> headers = new AtomicReference<>();
    stub("Bearer admin-token-1", "fast")
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
        .modelInfer(request("tabular"));
    assertThat(headers.get().get(PIN)).isEqualTo("fast");
    assertRefused(stub("Bearer admin-token-1", "tpu"), Status.Code.INVALID_ARGUMENT, "'tpu'", "cheap", "fast");
    assertThat(router.registry().scrape()).containsPattern(
        "yardmaster_requests_total\\{[^}]*outcome=\"permission_denied\"[^}]*} 2.0");
  }

  private GRPCInferenceServiceBlockingStub stub(@Nullable String authorization, @Nullable String pin) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(AUTHORIZATION, authorization);
    }
    if (pin != null) {
      headers.put(PIN, pin);
    }
    return router.stub(headers);
  }

  private static void assertRefused(GRPCInferenceServiceBlockingStub stub, Status.Code code, String... fragments) {
    assertThatThrownBy(() -> stub.modelInfer(request("tabular")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(fragments).doesNotContain("token-1");
        });
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
