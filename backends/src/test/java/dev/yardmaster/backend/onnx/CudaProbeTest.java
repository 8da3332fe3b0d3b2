package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.Test;

/**
 * The probe on this host's build. CI builds the CPU build, where CUDA is never listed; with the GPU
 * build ({@code mvn -Pgpu}) on a host without CUDA it must still say no, with ORT's reason.
 */
class CudaProbeTest {

  @Test
  void saysWhyCudaDoesNotRunHere() {
    CudaProbe.Result result = CudaProbe.probe();
    boolean listed = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);

    if (!listed) {
      assertThat(result.available()).isFalse();
      assertThat(result.reason()).isEqualTo("this ONNX Runtime build has no CUDA execution provider (the GPU build"
          + " is mvn -Pgpu package)");
    } else if (!result.available()) {
      assertThat(result.reason()).startsWith("the CUDA execution provider did not start (it needs CUDA 12, cuDNN 9"
          + " and a GPU): ").doesNotContain("\n");
    } else {
      assertThat(result.reason()).isEmpty();
    }
    assertThat(CudaProbe.result()).as("probed once, the same answer").isEqualTo(result);
  }

  @Test
  void aFactoryThatMayUseCudaUsesItOnlyWhereItRuns() {
    assertThat(OrtRunnerFactory.withDefaults().gpuAvailable()).isEqualTo(CudaProbe.result().available());
    assertThat(new OrtRunnerFactory(OrtRunnerOptions.defaults().cpuOnly()).gpuAvailable()).isFalse();
  }
}
