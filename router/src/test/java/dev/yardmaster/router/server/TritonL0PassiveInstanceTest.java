package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.Fp32Raw;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's {@code qa/L0_passive_instance} on ONNX Runtime: an {@code instance_group} with {@code
 * passive: true} loads, but the scheduler sends its instances no work. Triton's model has a CPU group
 * and a passive GPU group, and its test greps the server log for no execution on the GPU; here both
 * groups are on the CPU and the passive one's instances are seen to take no request: the model runs
 * only as many executions at once as its other groups hold.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0PassiveInstanceTest extends GatedInstancesTest {

  private static final String ACTIVE_AND_PASSIVE = cpu(1) + ", { count: 2 kind: KIND_CPU passive: true }";

  // passive_instance_test.py test_inference: infer_exact on the model with a passive group
  @Test
  void test_inference() throws Exception {
    writeConfig(ACTIVE_AND_PASSIVE, false);
    load();

    ModelInferResponse answer = infer("exact"); // INPUT0 = INPUT1 = 0, 1, ..., 15

    float[] sum = new float[16];
    for (int i = 0; i < 16; i++) {
      sum[i] = 2 * i;
    }
    assertThat(answer.getRawOutputContents(0)).isEqualTo(Fp32Raw.bytes(sum));
    assertThat(answer.getRawOutputContents(1)).isEqualTo(Fp32Raw.bytes(new float[16]));
  }

  // test.sh: perf_analyzer at concurrency 4, then no execution on the passive instances; here the
  // one active instance executes one request at a time, the others queue
  @Test
  void passiveInstancesTakeNoRequests() throws Exception {
    writeConfig(ACTIVE_AND_PASSIVE, false);
    load();

    assertInstances(1);
    assertThat(config().getInstanceGroup(1).getPassive()).isTrue();
  }

  // the same with the dynamic batcher: its batches go to the active instance only
  @Test
  void passiveInstancesTakeNoBatches() throws Exception {
    writeConfig(ACTIVE_AND_PASSIVE, true);
    load();

    assertInstances(1);
  }

  // a reload that only adds a passive group (Triton's instance update) keeps the version and its
  // active instances: no request goes to the added ones
  @Test
  void aPassiveGroupAddedInPlaceTakesNoRequests() throws Exception {
    loadCounts(false, 2);
    writeConfig(cpu(2) + ", { count: 3 kind: KIND_CPU passive: true }", false);
    load();

    assertInstances(2);
    assertNotReopened();
  }

  // kept difference: Triton loads a model whose every group is passive and never runs its requests
  @Test
  void aModelWithOnlyPassiveGroupsIsRefused() throws Exception {
    writeConfig("{ count: 2 kind: KIND_CPU passive: true }", false);

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, this::load);

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription()).contains(MODEL, "instance_group: every group passive");
  }
}
