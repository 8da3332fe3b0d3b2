package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.router.policy.AcceleratorKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterConfigLoaderTest {

  static final RouterConfigLoader LOADER =
      RouterConfigLoader.withPrices(type -> type.equals("g5.xlarge") ? Optional.of(1.006) : Optional.empty());

  @Test
  void readsTheDesignShapeWithDefaults() throws Exception {
    RouterConfig config = LOADER.parse("""
        server: {grpc_port: 9001}
        tiers: {gold: {p99_ms: 50}}
        pools:
          - name: gpu-a10g
            kind: kserve
            accelerator: gpu
            instance_type: g5.xlarge
            endpoints: ["triton-gpu.serving.svc:8001"]
            replicas: {min: 1, max: 8}
          - name: cpu
            accelerator: cpu
            price_per_hour: 0.17
            endpoints: ["10.0.0.1:8001", "10.0.0.2:8001"]
            outlier_detection: {consecutive_failures: 3, enforcing: false}
            retry: {per_try_timeout_ms: 250}
        """, "router.yaml");
    assertThat(config.grpcPort()).isEqualTo(9001);
    assertThat(config.metricsPort()).isEqualTo(8002);
    assertThat(config.poolNames()).containsExactly("gpu-a10g", "cpu");
    PoolConfig gpu = config.pools().get(0);
    assertThat(gpu.accelerator()).isEqualTo(AcceleratorKind.GPU);
    assertThat(gpu.pricePerHour()).isEqualTo(1.006);
    assertThat(gpu.replicasMax()).isEqualTo(8);
    assertThat(gpu.healthCheck()).isEqualTo(HealthCheckConfig.defaults());
    PoolConfig cpu = config.pools().get(1);
    assertThat(cpu.outlierDetection()).isEqualTo(new OutlierDetectionConfig(3, 30_000, 300_000, 50, false));
    assertThat(cpu.retry()).isEqualTo(new RetryConfig(2, 250, 20.0, 3));
    assertThat(cpu.replicasMax()).isEqualTo(2);
  }

  @Test
  void reportsEveryProblemWithItsKeyAndTheFix() {
    assertThatThrownBy(() -> LOADER.parse("""
        pools:
          - name: gpu
            kind: triton
            accelerator: tpu
            instance_type: x9.huge
            endpoints: ["no-port", "host:99999"]
            outlier_detecton: {}
            retry: {max_retries: -1}
          - name: gpu
            accelerator: cpu
            price_per_hour: 1
            endpoints: ["a:1"]
        """, "router.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "pools[0].outlier_detecton: unknown key (expected: one of [accelerator, channels_per_endpoint, "
                + "cpu_share, dns_refresh_ms, emulate, endpoints, health_check, instance_type, kind, model_repository, "
                + "name, outlier_detection, price_per_hour, replicas, retry])",
            "pools[0].kind: triton (expected: one of [kserve, onnxruntime, emulated])",
            "pools[0].accelerator: tpu (expected: gpu, inferentia or cpu)",
            "pools[0].instance_type: x9.huge has no known price (expected: a type in the price table, or set price_per_hour)",
            "pools[0].endpoints[0]: 'no-port' (expected: host:port, e.g. triton-gpu.serving.svc:8001)",
            "pools[0].endpoints[1]: 'host:99999' (expected: a port >= 1 and <= 65535)",
            "pools[0].retry.max_retries: -1 (expected: an integer >= 0 and <= 10)"));
  }

  @Test
  void serverKeysAreCheckedAndPortsTheRouterDoesNotServeAreRefusedNamingWhy() {
    assertThatThrownBy(() -> LOADER.parse("""
        server: {http_port: 8000, grpc_prot: 8001, admin_port: 8003}
        pools:
          - {name: cpu, accelerator: cpu, price_per_hour: 1, endpoints: ["a:1"]}
        """, "router.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "server.http_port: the router has no HTTP port (expected: none; the router takes KServe v2 over gRPC on "
                + "grpc_port, and serves KServe v2 HTTP/JSON only as a backend: serve --model-repository)",
            "server.admin_port: the router has no admin port (expected: none; admin calls such as "
                + "RepositoryModelLoad go to grpc_port with an admin token, metrics are on metrics_port)",
            "server.grpc_prot: unknown key (expected: one of [admin_port, default_timeout_ms, grpc_port, http_port, "
                + "max_message_mb, metrics_port])"));
  }

  @Test
  void rejectsDuplicateNamesAndMissingPools() {
    assertThatThrownBy(() -> LOADER.parse("""
        pools:
          - {name: a, accelerator: cpu, price_per_hour: 1, endpoints: ["x:1"]}
          - {name: a, accelerator: cpu, price_per_hour: 1, endpoints: ["y:1"]}
        """, "r.yaml")).hasMessageContaining("pools[1].name: 'a' (expected: unique; it names another pool)");
    assertThatThrownBy(() -> LOADER.parse("server: {}", "r.yaml"))
        .hasMessageContaining("pools: missing (expected: a list of at least one pool");
    assertThatThrownBy(() -> LOADER.parse("pools: [", "r.yaml")).hasMessageContaining("(expected: valid YAML)");
  }
}
