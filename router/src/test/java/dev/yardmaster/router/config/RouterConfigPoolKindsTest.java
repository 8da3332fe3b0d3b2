package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.cpushare.CpuShare;
import dev.yardmaster.backend.emulated.AcceleratorProfiles;
import dev.yardmaster.router.policy.AcceleratorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kind: onnxruntime} and {@code kind: emulated} pools: what they read, and every way they can be wrong. */
class RouterConfigPoolKindsTest {

  static final RouterConfigLoader LOADER = RouterConfigLoader.withPrices(type -> switch (type) {
    case "c7g.xlarge" -> Optional.of(0.145);
    case "g5.xlarge" -> Optional.of(1.006);
    default -> Optional.empty();
  });

  @TempDir Path dir;

  @Test
  void inProcessPoolsReadTheirRepositoryRelativeToTheConfigAndDefaultTheirAccelerator() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("a100.json"), """
        {"name": "a100", "accelerator": "gpu", "max_concurrent_executions": 4, "source": "test",
         "latency": [{"batch": 1, "latency_us": 300}, {"batch": 64, "latency_us": 500}]}
        """);
    RouterConfig config = LOADER.parse("""
        pools:
          - {name: cpu-local, kind: onnxruntime, instance_type: c7g.xlarge, model_repository: ./models}
          - {name: gpu-a10g, kind: emulated, emulate: gpu-a10g, instance_type: g5.xlarge, model_repository: models}
          - {name: a100, kind: emulated, emulate: a100.json, accelerator: gpu, price_per_hour: 4.1,
             model_repository: models}
          - {name: remote, accelerator: cpu, price_per_hour: 0.1, endpoints: ["10.0.0.1:8001"]}
        """, "router.yaml", dir);
    PoolConfig cpu = config.pools().get(0);
    assertThat(cpu.kind()).isEqualTo(PoolKind.ONNXRUNTIME);
    assertThat(cpu.accelerator()).isEqualTo(AcceleratorKind.CPU);
    assertThat(cpu.modelRepository()).isEqualTo(dir.resolve("models").toAbsolutePath().normalize());
    assertThat(cpu.endpoints()).isEmpty();
    assertThat(cpu.emulated()).isNull();
    assertThat(cpu.pricePerHour()).isEqualTo(0.145);
    assertThat(cpu.replicasMax()).isEqualTo(1);

    PoolConfig gpu = config.pools().get(1);
    assertThat(gpu.kind()).isEqualTo(PoolKind.EMULATED);
    assertThat(gpu.emulated()).isEqualTo(AcceleratorProfiles.GPU_A10G);
    assertThat(gpu.accelerator()).isEqualTo(AcceleratorKind.GPU);
    assertThat(gpu.sameServing(cpu)).isFalse();

    PoolConfig a100 = config.pools().get(2);
    assertThat(a100.emulated().name()).isEqualTo("a100");
    assertThat(a100.emulated().maxConcurrentExecutions()).isEqualTo(4);

    assertThat(config.pools().get(3).kind()).isEqualTo(PoolKind.KSERVE);
  }

  @Test
  void keysThatDoNotBelongToTheKindAndMissingOrBadOnesNameTheKey() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    assertThatThrownBy(() -> LOADER.parse("""
        pools:
          - {name: a, kind: onnxruntime, price_per_hour: 1}
          - {name: b, kind: onnxruntime, price_per_hour: 1, model_repository: models, endpoints: ["x:1"],
             emulate: inf2}
          - {name: c, kind: onnxruntime, price_per_hour: 1, model_repository: ./nowhere}
          - {name: d, kind: emulated, price_per_hour: 1, model_repository: models}
          - {name: e, kind: emulated, price_per_hour: 1, model_repository: models, emulate: tpu-v9}
          - {name: f, kind: kserve, accelerator: cpu, price_per_hour: 1, endpoints: ["x:1"], model_repository: models}
          - {name: g, kind: kserve, price_per_hour: 1, endpoints: ["x:1"]}
        """, "router.yaml", dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "pools[0].model_repository: missing (expected: a Triton-layout model repository directory for kind"
                + " onnxruntime, relative to the config file)",
            "pools[1].endpoints: array (expected: none for kind onnxruntime; the router serves this pool itself"
                + " on a loopback port)",
            "pools[1].emulate: inf2 (expected: only with kind emulated; kind is onnxruntime)",
            "pools[2].model_repository: ./nowhere (" + dir.resolve("nowhere").toAbsolutePath().normalize()
                + ") does not exist (expected: a directory DIR/<model>/config.pbtxt, DIR/<model>/<version>/model.onnx)",
            "pools[3].emulate: missing (expected: a built-in profile [gpu-a10g, inf2] or a profile file (JSON/YAML,"
                + " or a yardmaster profile FILE[#pool]) relative to the config file)",
            "pools[4].emulate: tpu-v9 (" + dir.resolve("tpu-v9").toAbsolutePath().normalize() + " is not a file;"
                + " expected: a built-in profile [gpu-a10g, inf2] or a profile file (JSON/YAML, or a yardmaster"
                + " profile FILE[#pool]) relative to the config file)",
            "pools[5].model_repository: models (expected: only with kind onnxruntime or emulated; kind is kserve)",
            "pools[6].accelerator: missing (expected: gpu, inferentia or cpu)"));
  }

  @Test
  void anOnnxRuntimePoolReadsItsCpuShareAndANewShareIsNewServing() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    RouterConfig config = LOADER.parse("""
        pools:
          - {name: slow, kind: onnxruntime, price_per_hour: 0.1, model_repository: models, cpu_share: 0.25}
          - {name: whole, kind: onnxruntime, price_per_hour: 0.1, model_repository: models}
        """, "router.yaml", dir);
    PoolConfig slow = config.pools().get(0);
    PoolConfig whole = config.pools().get(1);
    assertThat(slow.cpuShare()).isEqualTo(new CpuShare(0.25));
    assertThat(whole.cpuShare()).isEqualTo(CpuShare.WHOLE_CORE);
    assertThat(slow.sameServing(whole)).isFalse();
    assertThat(slow.sameServing(whole.withCpuShare(new CpuShare(0.25)))).isTrue();
  }

  @Test
  void aCpuShareOutOfRangeOrOnAnotherKindNamesTheKey() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    assertThatThrownBy(() -> LOADER.parse("""
        pools:
          - {name: a, kind: onnxruntime, price_per_hour: 1, model_repository: models, cpu_share: 0}
          - {name: b, kind: onnxruntime, price_per_hour: 1, model_repository: models, cpu_share: half}
          - {name: c, kind: emulated, emulate: inf2, price_per_hour: 1, model_repository: models, cpu_share: 0.5}
          - {name: d, accelerator: cpu, price_per_hour: 1, endpoints: ["x:1"], cpu_share: 0.5}
        """, "router.yaml", dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "pools[0].cpu_share: 0 (expected: a number > 0 and <= 1, the share of one core each instance computes on)",
            "pools[1].cpu_share: half (expected: a number > 0 and <= 1, the share of one core each instance"
                + " computes on)",
            "pools[2].cpu_share: 0.5 (expected: only with kind onnxruntime; kind is emulated)",
            "pools[3].cpu_share: 0.5 (expected: only with kind onnxruntime; kind is kserve)"));
  }

  @Test
  void aBadProfileFileSaysWhatIsWrongInIt() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\", \"accelerator\": \"gpu\"}");
    assertThatThrownBy(() -> LOADER.parse("""
        pools:
          - {name: x, kind: emulated, emulate: bad.json, price_per_hour: 1, model_repository: models}
        """, "router.yaml", dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("pools[0].emulate: bad.json: ").contains("latency", "expected"));
  }
}
