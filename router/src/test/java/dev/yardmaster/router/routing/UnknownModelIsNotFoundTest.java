package dev.yardmaster.router.routing;

import static dev.yardmaster.router.routing.PacedBackend.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC: a model the router config names nowhere (not in {@code models:}, not in a pool's
 * {@code health_check.models}) is NOT_FOUND naming the model and the known ones, for ModelInfer and
 * ModelMetadata; ModelReady answers not ready, as Triton does. A config that names no models
 * forwards every model.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnknownModelIsNotFoundTest {

  @TempDir Path dir;

  @Test
  void unknownModelIsNotFoundNamingTheKnownModels() throws Exception {
    try (PacedBackend backend = PacedBackend.parallel(1)) {
      ProfileFiles.write(dir.resolve("tabular.json"), new Profile(1, "tabular", null, Profile.DEFAULT_TIERS, 0,
          List.of(new ProfileEntry("1", "kserve", "cpu", "c7g.xlarge", "cpu", 0.05,
              List.of(new GridPoint(1, 1, 1000, 1, 1, 1, 1, 0)), null))));
      try (RouterFixture running = RouterFixture.start(dir, """
          server: {grpc_port: 0, metrics_port: 0}
          pools:
            - {name: cpu, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"],
               health_check: {interval_ms: 50, models: [ranker]}}
          models: [{name: tabular, profile: tabular.json}]
          """.formatted(backend.endpoint()))) {
        GRPCInferenceServiceBlockingStub stub = running.stub();
        assertThatThrownBy(() -> stub.modelInfer(request("nope")))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'nope'", "[ranker, tabular]");
            });
        assertThatThrownBy(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'nope'", "[ranker, tabular]");
            });
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()).getReady()).isFalse();

        // both named models are served: one by its profile, one (health-checked only) as fallback
        assertThat(stub.modelInfer(request("tabular")).getModelName()).isEqualTo("tabular");
        assertThat(stub.modelInfer(request("ranker")).getModelName()).isEqualTo("ranker");
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("ranker").build()).getReady()).isTrue();
        assertThat(running.registry().scrape()).containsPattern(
            "yardmaster_requests_total\\{[^}]*outcome=\"not_found\"[^}]*} 1.0");
      }
    }
  }

  @Test
  void aConfigThatNamesNoModelsForwardsEveryModel() throws Exception {
    try (PacedBackend backend = PacedBackend.parallel(1)) {
      try (RouterFixture running = RouterFixture.start(dir, """
          server: {grpc_port: 0, metrics_port: 0}
          pools:
            - {name: cpu, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"], health_check: {interval_ms: 50}}
          """.formatted(backend.endpoint()))) {
        assertThat(running.stub().modelInfer(request("anything")).getModelName()).isEqualTo("anything");
      }
    }
  }
}
