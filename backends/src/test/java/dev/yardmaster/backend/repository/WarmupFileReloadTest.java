package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over ONNX Runtime: a load of a serving model whose config and version files are unchanged keeps
 * its versions, but one whose {@code warmup/} data file changed reopens them, so they warm up on the
 * new data before serving, as Triton reloads a model when any file of its directory is newer.
 */
class WarmupFileReloadTest {

  private static final String FILE_WARMUP = """
      model_warmup [
        { name: "file" batch_size: 1
          inputs { key: "INPUT0" value { data_type: TYPE_FP32 dims: [ 16 ] input_data_file: "sample.bin" } }
          inputs { key: "INPUT1" value { data_type: TYPE_FP32 dims: [ 16 ] zero_data: true } } }
      ]
      """;

  @TempDir Path repository;
  private final RecordingRunnerFactory runners = new RecordingRunnerFactory(OrtRunnerFactory.withDefaults());
  @AutoClose private RepositoryModelManager manager;

  @Test
  void changedWarmupFileRewarmsAnOtherwiseUnchangedModelOnLoad() throws Exception {
    ModelWarmupTest.writeAddSub(repository, "m", ModelWarmupTest.ADD_SUB_CONFIG + FILE_WARMUP);
    ModelWarmupTest.writeWarmupFile(repository, "m", "sample.bin", ModelWarmupTest.floats(16, 1f));
    manager = start();
    ServedModel first = manager.resolve("m", "1");
    assertThat(warmupInputs()).as("once per instance").containsExactly(1f, 1f);

    manager.load("m");
    assertThat(manager.resolve("m", "1")).as("nothing changed: kept, not warmed again").isSameAs(first);
    assertThat(warmupInputs()).hasSize(2);

    ModelWarmupTest.writeWarmupFile(repository, "m", "sample.bin", ModelWarmupTest.floats(16, 2f));
    manager.load("m");

    assertThat(manager.resolve("m", "1")).isNotSameAs(first);
    assertThat(warmupInputs()).as("warmed again on the new file").containsExactly(1f, 1f, 2f, 2f);
    assertThat(ModelWarmupTest.sumOfOnes(manager, "m")).isEqualTo("1");
  }

  private RepositoryModelManager start() {
    return new RepositoryModelManager(repository, runners, Schedulers.factory(), RepositoryOptions.loadAllModels());
  }

  /** The first INPUT0 value of each execution of {@code m} so far. */
  private List<Float> warmupInputs() {
    return runners.of("m").stream().map(execution -> execution.inputs().get("INPUT0").toFloats()[0]).toList();
  }
}
