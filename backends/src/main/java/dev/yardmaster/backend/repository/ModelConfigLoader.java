package dev.yardmaster.backend.repository;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Turns a model directory into a {@link ModelDefinition} in Triton's named phases:
 * {@linkplain #parse parse} {@code config.pbtxt} (protobuf text format; fields Triton has and
 * Yardmaster does not model are ignored and noted), {@linkplain #autoComplete auto-complete} what
 * is missing from the ONNX file, {@linkplain #normalize normalize} defaults, and
 * {@linkplain ModelConfigValidator#validate validate} reporting every problem at once.
 *
 * <p>Auto-complete follows Triton's ONNX Runtime backend ({@link OnnxAutoComplete}): a config
 * declaring both inputs and outputs is taken at its word; otherwise a batchable model gets Triton's
 * default {@code max_batch_size} and {@code dynamic_batching {}}, and the undeclared side is read
 * from the model. It reads the newest selected version that holds its model file (else, to
 * complete the config, the newest version that does); a selected version without one is left in
 * the definition and fails when it is opened
 * ({@link ModelDefinition#requireModelFile}), as Triton's backend fails that version.
 */
public final class ModelConfigLoader {

  public static final String CONFIG_FILE = "config.pbtxt";
  public static final String DEFAULT_MODEL_FILENAME = "model.onnx";
  public static final String ONNX_PLATFORM = "onnxruntime_onnx";
  public static final String ONNX_BACKEND = "onnxruntime";
  public static final int DEFAULT_MAX_BATCH_SIZE = 4;
  /** Triton's default instance count of an onnxruntime {@code KIND_CPU} group ({@code SetDefaultInstanceCount}). */
  public static final int DEFAULT_CPU_INSTANCE_COUNT = 2;

  private static final TextFormat.Parser LENIENT_PARSER =
      TextFormat.Parser.newBuilder().setAllowUnknownFields(true).setAllowUnknownExtensions(true).build();

  /**
   * The result of the parse phase.
   *
   * @param config the parsed config; the default instance when the file is absent
   * @param present whether {@code config.pbtxt} exists
   * @param notes unknown fields that were ignored
   * @param source where the config came from, for messages: {@code config.pbtxt} or
   *     {@value #OVERRIDE_SOURCE}
   */
  public record Parsed(ModelConfig config, boolean present, List<String> notes, String source) {
    public Parsed {
      notes = List.copyOf(notes);
    }
  }

  /** How messages name a config given with the load request instead of {@code config.pbtxt}. */
  public static final String OVERRIDE_SOURCE = "load config override";

  private ModelConfigLoader() {}

  /**
   * Runs every phase for one model directory.
   *
   * @throws InferenceException INVALID_ARGUMENT listing every problem, one per line
   */
  public static ModelDefinition load(Path modelDirectory) {
    return load(modelDirectory, LoadParameters.none());
  }

  /**
   * Runs every phase for one model directory, with the config of {@code parameters} instead of
   * {@code config.pbtxt} when it has one (Triton's load {@code config} parameter); the versions
   * and model files still come from the directory.
   *
   * @throws InferenceException INVALID_ARGUMENT listing every problem, one per line
   */
  public static ModelDefinition load(Path modelDirectory, LoadParameters parameters) {
    return load(modelDirectory, parameters, false);
  }

  /**
   * As {@link #load(Path, LoadParameters)} on a host where {@code gpuAvailable} says whether
   * {@code KIND_GPU} instances can run ({@code KIND_AUTO} then means the GPU).
   *
   * @throws InferenceException INVALID_ARGUMENT listing every problem, one per line
   */
  public static ModelDefinition load(Path modelDirectory, LoadParameters parameters, boolean gpuAvailable) {
    return load(modelDirectory, parameters, gpuAvailable, RunnerFactory.NO_GPUS);
  }

  /**
   * As {@link #load(Path, LoadParameters, boolean)}, with why there is no GPU for a refused
   * {@code KIND_GPU} group to say, e.g. that CUDA did not start.
   *
   * @throws InferenceException INVALID_ARGUMENT listing every problem, one per line
   */
  public static ModelDefinition load(Path modelDirectory, LoadParameters parameters, boolean gpuAvailable,
      String noGpuReason) {
    String modelName = modelDirectory.getFileName().toString();
    String overrideJson = parameters.configJson();
    Parsed parsed = overrideJson == null ? parse(modelName, modelDirectory.resolve(CONFIG_FILE))
        : ConfigOverride.parse(modelName, overrideJson);
    List<String> notes = new ArrayList<>(parsed.notes());
    ModelConfig config = parsed.config();
    String modelFilename = config.getDefaultModelFilename().isEmpty()
        ? DEFAULT_MODEL_FILENAME : config.getDefaultModelFilename();
    VersionPolicy.VersionDirectories directories = VersionPolicy.versionDirectories(modelDirectory);
    notes.addAll(directories.ignored());
    List<Long> available = directories.versions();
    List<Long> versions = VersionPolicy.of(config).select(available);
    if (config.getVersionPolicy().hasSpecific() && !versions.isEmpty()) {
      // As Triton: a listed version without a directory is logged and the others load.
      for (long version : config.getVersionPolicy().getSpecific().getVersionsList()) {
        if (!available.contains(version)) {
          notes.add("version_policy.specific.versions: " + version + " not loaded: no version directory '"
              + version + "' (expected: one of " + available + ")");
        }
      }
    }

    OnnxSignature onnx = null;
    String onnxWhere = "";
    List<String> problems = new ArrayList<>();
    boolean completesFromModel = config.getInputCount() == 0 || config.getOutputCount() == 0;
    Long source = modelSource(modelDirectory, modelFilename, versions, completesFromModel ? available : List.of());
    if (source != null) {
      Path sourceFile = ModelDefinition.modelFileIn(ModelDefinition.namedModelPath(modelDirectory, source, modelFilename));
      onnxWhere = modelDirectory.relativize(sourceFile).toString();
      try {
        // Reads the graph only: initializers kept as external data are never opened here.
        onnx = OnnxSignature.read(sourceFile);
      } catch (InferenceException e) {
        problems.add(onnxWhere + ": " + e.getMessage());
      }
    } else if (!versions.isEmpty() && completesFromModel) {
      // Nothing to complete the config from: say which file is missing beside "input: none".
      long newest = versions.get(versions.size() - 1);
      problems.add("version " + newest + ": " + ModelDefinition.missingModelFile(
          ModelDefinition.namedModelPath(modelDirectory, newest, modelFilename)));
    }
    ModelConfig completed = autoComplete(modelName, config, onnx);
    if (!parsed.present() || completed.getMaxBatchSize() != config.getMaxBatchSize()) {
      notes.add("auto-completed from " + (onnxWhere.isEmpty() ? "defaults" : onnxWhere)
          + ": max_batch_size " + completed.getMaxBatchSize()
          + (completed.hasDynamicBatching() && !config.hasDynamicBatching() ? ", dynamic_batching {}" : ""));
    } else if (completed.hasDynamicBatching() && !config.hasDynamicBatching()) {
      notes.add("auto-completed from " + onnxWhere + ": dynamic_batching {}");
    }
    ModelConfig normalized = normalize(completed, gpuAvailable);
    problems.addAll(ModelConfigValidator.validate(modelName, normalized, onnx, onnxWhere,
        gpuAvailable ? null : noGpuReason));
    problems.addAll(ModelConfigValidator.validateVersions(normalized, available, versions, modelFilename));
    if (!problems.isEmpty()) {
      throw InferenceException.invalidArgument("%s", String.join("\n", problems.stream()
          .map(problem -> where(modelName, parsed.source()) + ": " + problem).toList()));
    }
    Set<String> scalars = new HashSet<>();
    if (onnx != null) {
      Stream.concat(onnx.inputs().stream(), onnx.outputs().stream()).filter(OnnxSignature.OnnxTensor::scalar)
          .forEach(tensor -> scalars.add(tensor.name()));
    }
    return new ModelDefinition(modelName, modelDirectory, normalized, versions, notes, scalars);
  }

  /**
   * The version whose model file auto-complete and the consistency checks read: the newest selected
   * one holding its model file, else the newest of {@code fallback} holding one (every selected
   * version then fails for its missing file; the config completed from another version only has to
   * be valid); null when none holds it.
   */
  private static @Nullable Long modelSource(Path modelDirectory, String modelFilename, List<Long> selected,
      List<Long> fallback) {
    for (List<Long> candidates : List.of(selected, fallback)) {
      for (int i = candidates.size() - 1; i >= 0; i--) {
        long version = candidates.get(i);
        if (Files.isRegularFile(ModelDefinition.modelFileIn(
            ModelDefinition.namedModelPath(modelDirectory, version, modelFilename)))) {
          return version;
        }
      }
    }
    return null;
  }

  /**
   * Parse phase: reads {@code config.pbtxt} as protobuf text format; unknown fields are ignored and
   * returned as notes, but for those a model cannot be served without ({@link UnservableFields}).
   *
   * @throws InferenceException INVALID_ARGUMENT naming the file, line and column of a syntax error,
   *     or the unservable fields
   */
  public static Parsed parse(String modelName, Path configFile) {
    if (!Files.exists(configFile)) {
      return new Parsed(ModelConfig.getDefaultInstance(), false, List.of(), CONFIG_FILE);
    }
    String text;
    try {
      text = Files.readString(configFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw InferenceException.invalidArgument("%s: %s (expected: a readable file)", where(modelName), e);
    }
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    try {
      LENIENT_PARSER.merge(text, builder);
    } catch (TextFormat.ParseException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      String prefix = e.getLine() + ":" + e.getColumn() + ": ";
      if (message.startsWith(prefix)) {
        message = message.substring(prefix.length());
      }
      throw InferenceException.invalidArgument("%s:%d:%d: %s", where(modelName), e.getLine(), e.getColumn(),
          describeParseError(text, e.getLine(), e.getColumn(), message));
    }
    List<String> unknownFields = UnknownFieldScanner.scan(text, ModelConfig.getDescriptor());
    UnservableFields.refuse(where(modelName), unknownFields);
    List<String> notes = new ArrayList<>();
    for (String unknown : unknownFields) {
      notes.add(CONFIG_FILE + ": " + unknown + " is not supported by Yardmaster and was ignored");
    }
    return new Parsed(builder.build(), true, notes, CONFIG_FILE);
  }

  /**
   * Auto-complete phase: name, platform and what the config lacks that the ONNX model says
   * ({@link OnnxAutoComplete}).
   */
  public static ModelConfig autoComplete(String modelName, ModelConfig config, @Nullable OnnxSignature onnx) {
    ModelConfig.Builder builder = config.toBuilder();
    if (builder.getName().isEmpty()) {
      builder.setName(modelName);
    }
    if (builder.getPlatform().isEmpty() && (builder.getBackend().isEmpty() || builder.getBackend().equals(ONNX_BACKEND))) {
      builder.setPlatform(ONNX_PLATFORM);
    }
    if (builder.getBackend().isEmpty() && builder.getPlatform().equals(ONNX_PLATFORM)) {
      builder.setBackend(ONNX_BACKEND);
    }
    return onnx == null ? builder.build() : OnnxAutoComplete.complete(builder.build(), onnx);
  }

  /** Normalize phase on a host without GPUs. */
  public static ModelConfig normalize(ModelConfig config) {
    return normalize(config, false);
  }

  /**
   * Normalize phase: Triton's defaults for what the config leaves out. No instance group means one
   * {@code KIND_AUTO} group named after the model (a listed group without a name is
   * {@code <model>_<index>}); {@code KIND_AUTO} is the GPU when {@code gpuAvailable}, else the CPU;
   * a count of 0 is Triton's default, {@value #DEFAULT_CPU_INSTANCE_COUNT} on the CPU and 1 on the GPU.
   */
  public static ModelConfig normalize(ModelConfig config, boolean gpuAvailable) {
    ModelConfig.Builder builder = config.toBuilder();
    // Only a config without version_policy gets Triton's default; an empty one means all versions.
    if (!builder.hasVersionPolicy()) {
      builder.setVersionPolicy(ModelVersionPolicy.newBuilder()
          .setLatest(ModelVersionPolicy.Latest.newBuilder().setNumVersions(1)));
    }
    if (builder.getInstanceGroupCount() == 0) {
      // As Triton's NormalizeInstanceGroup: the default group is named after the model, listed ones "<model>_<i>".
      builder.addInstanceGroup(ModelInstanceGroup.newBuilder().setName(config.getName())
          .setKind(ModelInstanceGroup.Kind.KIND_AUTO));
    }
    for (int i = 0; i < builder.getInstanceGroupCount(); i++) {
      ModelInstanceGroup.Builder group = builder.getInstanceGroupBuilder(i);
      if (group.getName().isEmpty()) {
        group.setName(config.getName() + "_" + i);
      }
      if (group.getKind() == ModelInstanceGroup.Kind.KIND_AUTO) {
        group.setKind(gpuAvailable ? ModelInstanceGroup.Kind.KIND_GPU : ModelInstanceGroup.Kind.KIND_CPU);
      }
      if (group.getCount() == 0) {
        group.setCount(group.getKind() == ModelInstanceGroup.Kind.KIND_CPU ? DEFAULT_CPU_INSTANCE_COUNT : 1);
      }
    }
    if (builder.getDefaultModelFilename().isEmpty()) {
      builder.setDefaultModelFilename(DEFAULT_MODEL_FILENAME);
    }
    return builder.build();
  }

  /**
   * Whether versions loaded with {@code loaded} must be reopened to serve {@code reloaded}: as
   * Triton's {@code ConfigChangeRequiresReload}, any difference but in {@code instance_group} and
   * {@code version_policy}, whose changes a serving version takes in place. One ONNX Runtime session
   * serves every instance of a version on the CPU or on CUDA, so groups that move it between the two
   * reopen it too.
   */
  public static boolean requiresReload(ModelConfig loaded, ModelConfig reloaded) {
    return !withoutInstancesAndPolicy(loaded).equals(withoutInstancesAndPolicy(reloaded))
        || runsOnGpu(loaded) != runsOnGpu(reloaded);
  }

  private static ModelConfig withoutInstancesAndPolicy(ModelConfig config) {
    return config.toBuilder().clearInstanceGroup().clearVersionPolicy().build();
  }

  private static boolean runsOnGpu(ModelConfig config) {
    return config.getInstanceGroupList().stream().anyMatch(group -> group.getKind() == ModelInstanceGroup.Kind.KIND_GPU);
  }

  /** Restates the parser's number errors in the project's grammar, naming the field. */
  private static String describeParseError(String text, int line, int column, String message) {
    java.util.regex.Matcher number = java.util.regex.Pattern
        .compile("Couldn't parse integer: (Number must be positive|Number out of range for (.*)): (\\S+)")
        .matcher(message);
    String field = UnknownFieldScanner.fieldPathBefore(text, line, column);
    if (!number.matches() || field.isEmpty()) {
      return message;
    }
    String expected = number.group(2) == null ? ">= 0" : "a " + number.group(2);
    return field + ": " + number.group(3) + " (expected: " + expected + ")";
  }

  static String where(String modelName) {
    return where(modelName, CONFIG_FILE);
  }

  static String where(String modelName, String source) {
    return "model '" + modelName + "' " + source;
  }
}
