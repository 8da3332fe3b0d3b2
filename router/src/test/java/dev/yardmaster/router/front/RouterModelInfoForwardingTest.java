package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelConfigResponse;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse;
import dev.yardmaster.router.local.HiggsRepository;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC, what tritonclient's {@code get_model_config}, {@code get_inference_statistics} and
 * {@code get_model_repository_index} ask the router: ModelConfig, ModelStatistics and RepositoryIndex are answered by an endpoint of the pool (here an
 * in-process ONNX Runtime pool serving the HIGGS MLP), and a model the config does not name is
 * NOT_FOUND before any pool is asked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterModelInfoForwardingTest {

  @TempDir Path dir;

  @Test
  void modelConfigAndStatisticsComeFromThePool() throws Exception {
    HiggsRepository.write(dir.resolve("models"));
    try (RouterFixture router = RouterFixture.start(dir, """
        server: {grpc_port: 0, metrics_port: 0}
        pools:
          - {name: cpu-local, kind: onnxruntime, instance_type: c7g.xlarge, model_repository: models,
             health_check: {interval_ms: 50, models: [%s]}}
        """.formatted(HiggsRepository.MODEL))) {
      GRPCInferenceServiceBlockingStub stub = router.stub();

      ModelConfigResponse config = stub.modelConfig(ModelConfigRequest.newBuilder()
          .setName(HiggsRepository.MODEL).build());
      assertThat(config.getConfig().getName()).isEqualTo(HiggsRepository.MODEL);
      assertThat(config.getConfig().getMaxBatchSize()).isPositive();
      assertThat(config.getConfig().getInput(0).getName()).isEqualTo(HiggsRepository.MLP.inputName());

      stub.modelInfer(HiggsRepository.request(HiggsRepository.features(3), 3));
      ModelStatistics stats = stub.modelStatistics(ModelStatisticsRequest.newBuilder()
          .setName(HiggsRepository.MODEL).build()).getModelStats(0);
      InferStatistics infer = stats.getInferenceStats();
      assertThat(stats.getName()).isEqualTo(HiggsRepository.MODEL);
      assertThat(infer.getSuccess().getCount()).isGreaterThanOrEqualTo(1);
      assertThat(stats.getInferenceCount()).isGreaterThanOrEqualTo(3);

      assertThatThrownBy(() -> stub.modelConfig(ModelConfigRequest.newBuilder().setName("nope").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(e.getStatus().getDescription()).contains("'nope'", HiggsRepository.MODEL);
          });
      assertThat(stub.modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsList())
          .extracting(ModelStatistics::getName).contains(HiggsRepository.MODEL);
      assertThat(stub.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build()).getModelsList())
          .extracting(RepositoryIndexResponse.ModelIndex::getName).contains(HiggsRepository.MODEL);
    }
  }
}
