package dev.yardmaster.backend.repository;

import static dev.yardmaster.backend.repository.ModelWarmupTest.ADD_SUB_CONFIG;
import static dev.yardmaster.backend.repository.ModelWarmupTest.floats;
import static dev.yardmaster.backend.repository.ModelWarmupTest.sumOfOnes;
import static dev.yardmaster.backend.repository.ModelWarmupTest.writeAddSub;
import static dev.yardmaster.backend.repository.ModelWarmupTest.writeWarmupFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Over ONNX Runtime: a bad {@code model_warmup} setting fails its model's load, naming the setting,
 * the input and what was expected, while the other models serve. What the config alone shows fails
 * as a config error; a data file that is missing or of the wrong size, or a warmup execution that
 * throws, fails the version, and a model already serving keeps its versions.
 */
class BadModelWarmupTest {

  @TempDir Path repository;
  private final RecordingRunnerFactory runners = new RecordingRunnerFactory(OrtRunnerFactory.withDefaults());
  @AutoClose private RepositoryModelManager manager;

  /** A bad setting: INPUT0's warmup text, the file to write under warmup/, and the reason expected. */
  record Case(String name, String batchSize, String input0, String file, int fileBytes, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> badSettings() {
    String config = "model 'm' config.pbtxt: model_warmup 'w' ";
    String version = "model 'm' version 1 model_warmup 'w' ";
    String fp32 = "data_type: TYPE_FP32 dims: [ 16 ] ";
    return Stream.of(
        new Case("wrong data_type", "1", "data_type: TYPE_INT32 dims: [ 16 ] zero_data: true", "", 0,
            config + "input 'INPUT0': data_type TYPE_INT32 (expected: TYPE_FP32, the input's data_type)"),
        new Case("wrong dims", "1", "data_type: TYPE_FP32 dims: [ 4, 4 ] zero_data: true", "", 0,
            config + "input 'INPUT0': dims [4, 4] (expected: [16], the input's dims)"),
        new Case("variable dims", "1", "data_type: TYPE_FP32 dims: [ -1 ] zero_data: true", "", 0,
            config + "input 'INPUT0': dims[0] -1 (expected: >= 1, warmup data has a fixed shape)"),
        new Case("batch_size above max_batch_size", "9", fp32 + "zero_data: true", "", 0,
            config + "batch_size: 9 (expected: >= 1 and <= max_batch_size 8)"),
        new Case("no data source", "1", fp32, "", 0,
            config + "input 'INPUT0': input_data_type: none (expected: zero_data, random_data or input_data_file)"),
        new Case("file name escaping warmup/", "1", fp32 + "input_data_file: \"../1/model.onnx\"", "", 0,
            config + "input 'INPUT0': input_data_file: '../1/model.onnx' (expected: a file name relative to the "
                + "model's warmup/ directory, inside it)"),
        new Case("missing file", "1", fp32 + "input_data_file: \"missing.bin\"", "", 0,
            version + "input 'INPUT0': input_data_file 'missing.bin': '%s' not found (expected: a file under the "
                + "model's warmup/ directory)"),
        new Case("file of the wrong size", "2", fp32 + "input_data_file: \"short.bin\"", "short.bin", 15,
            version + "input 'INPUT0': input_data_file 'short.bin': 60 bytes (expected: 64, one sample of dims "
                + "[16] of TYPE_FP32)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void badSettingFailsItsModelNamingTheProblemWhileOthersServe(Case bad) throws Exception {
    writeAddSub(repository, "m", ADD_SUB_CONFIG + "model_warmup [ { name: \"w\" batch_size: " + bad.batchSize()
        + " inputs { key: \"INPUT0\" value { " + bad.input0() + " } }"
        + " inputs { key: \"INPUT1\" value { data_type: TYPE_FP32 dims: [ 16 ] zero_data: true } } } ]\n");
    if (!bad.file().isEmpty()) {
      writeWarmupFile(repository, "m", bad.file(), floats(bad.fileBytes(), 1f));
    }
    writeAddSub(repository, "other", ADD_SUB_CONFIG.replace("\"m\"", "\"other\""));
    String reason = bad.reason().formatted(repository.resolve("m").resolve("warmup").resolve("missing.bin"));

    manager = start();

    assertThat(sumOfOnes(manager, "other")).isEqualTo("1");
    assertThat(manager.isReady("m", "")).isFalse();
    assertThat(manager.index(false)).filteredOn(entry -> entry.name().equals("m"))
        .extracting(ModelIndexEntry::state, ModelIndexEntry::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ModelIndexEntry.UNAVAILABLE, reason));
    assertThatThrownBy(() -> manager.load("m")).as("the load API's answer").hasMessage(reason)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT);
    assertThat(runners.of("m")).as("no execution of a model whose warmup data is bad").isEmpty();
  }

  @Test
  void warmupExecutionThatThrowsFailsTheVersionAndAServingModelKeepsItsVersion() throws Exception {
    writeAddSub(repository, "m", ADD_SUB_CONFIG);
    manager = start();
    assertThat(sumOfOnes(manager, "m")).isEqualTo("1");

    writeAddSub(repository, "m", ADD_SUB_CONFIG + """
        model_warmup [ { name: "w" batch_size: 2
          inputs { key: "INPUT0" value { data_type: TYPE_FP32 dims: [ 16 ] random_data: true } }
          inputs { key: "INPUT1" value { data_type: TYPE_FP32 dims: [ 16 ] random_data: true } } } ]
        """);
    runners.failingModel = "m";
    String reason = "model 'm' version 1 model_warmup 'w': execution failed: m: execution refused by the test "
        + "(expected: the model to run the warmup inputs)";
    assertThatThrownBy(() -> manager.load("m")).hasMessage(reason)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT);

    runners.failingModel = "";
    assertThat(sumOfOnes(manager, "m")).as("the version loaded before keeps serving").isEqualTo("1");
    assertThat(manager.resolve("m", "").spec().config().getModelWarmupCount()).as("with its old config").isZero();
    assertThat(manager.index(false)).as("the serving version 1 is the one the index shows")
        .containsExactly(new ModelIndexEntry("m", "1", ModelIndexEntry.READY, ""));

    manager.load("m");
    assertThat(manager.resolve("m", "").spec().config().getModelWarmupCount()).isEqualTo(1);
  }

  private RepositoryModelManager start() {
    return new RepositoryModelManager(repository, runners, Schedulers.factory(), RepositoryOptions.loadAllModels());
  }
}
