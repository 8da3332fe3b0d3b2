package dev.yardmaster.router.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.protocol.v2.ModelRepositoryParameter;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the parameters of a repository load, over gRPC or HTTP, as Triton does: {@code config}
 * (a string holding a model config in JSON) replaces {@code config.pbtxt} for the load;
 * {@code file:<path>} (model file overrides) is refused as not supported; any other name is
 * INVALID_ARGUMENT {@code unrecognized load parameter '<name>'}.
 */
public final class LoadParameterReader {

  static final String CONFIG = "config";
  static final String FILE_PREFIX = "file:";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LoadParameterReader() {}

  /**
   * The parameters of a gRPC RepositoryModelLoad.
   *
   * @throws InferenceException UNIMPLEMENTED for a repository name or a file override,
   *     INVALID_ARGUMENT for an unknown parameter or a config that is not a string
   */
  public static LoadParameters fromGrpc(RepositoryModelLoadRequest request) {
    requireNoRepositoryName(request.getRepositoryName());
    String config = null;
    for (Map.Entry<String, ModelRepositoryParameter> parameter : request.getParametersMap().entrySet()) {
      String name = parameter.getKey();
      check(name);
      ModelRepositoryParameter value = parameter.getValue();
      if (value.getParameterChoiceCase() != ModelRepositoryParameter.ParameterChoiceCase.STRING_PARAM) {
        throw notAString(value.getParameterChoiceCase().name().toLowerCase(Locale.ROOT));
      }
      config = value.getStringParam();
    }
    return config == null ? LoadParameters.none() : LoadParameters.withConfig(config);
  }

  /** Triton serves one repository and refuses to name one, on load and unload alike. */
  public static void requireNoRepositoryName(String repositoryName) {
    if (!repositoryName.isEmpty()) {
      throw InferenceException.unimplemented("repository_name: '%s' ('repository_name' specification is not "
          + "supported; expected: empty, the server's one repository)", repositoryName);
    }
  }

  /**
   * The parameters of an HTTP {@code POST v2/repository/models/<m>/load} body,
   * {@code {"parameters": {"config": "<json>"}}}; an empty body is a plain load.
   *
   * @throws InferenceException INVALID_ARGUMENT for malformed JSON, an unknown parameter or a
   *     config that is not a string, UNIMPLEMENTED for a file override
   */
  public static LoadParameters fromHttp(byte[] body) {
    if (body.length == 0) {
      return LoadParameters.none();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException malformed) {
      throw InferenceException.invalidArgument("request body: malformed JSON (expected: {\"parameters\": "
          + "{\"config\": \"<model config JSON>\"}})");
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return LoadParameters.none();
    }
    JsonNode parameters = root.path("parameters");
    if (parameters.isMissingNode() || parameters.isNull()) {
      return LoadParameters.none();
    }
    if (!parameters.isObject()) {
      throw InferenceException.invalidArgument("request body parameters: %s (expected: a JSON object)",
          parameters.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    String config = null;
    for (Map.Entry<String, JsonNode> parameter : parameters.properties()) {
      check(parameter.getKey());
      if (!parameter.getValue().isTextual()) {
        throw notAString(parameter.getValue().getNodeType().name().toLowerCase(Locale.ROOT));
      }
      config = parameter.getValue().asText();
    }
    return config == null ? LoadParameters.none() : LoadParameters.withConfig(config);
  }

  /** Refuses every name but {@code config}. */
  private static void check(String name) {
    if (name.startsWith(FILE_PREFIX)) {
      throw InferenceException.unimplemented("load parameter '%s': model file overrides are not supported by "
          + "Yardmaster (expected: the model files in the repository, or only a 'config' override)", name);
    }
    if (!name.equals(CONFIG)) {
      throw InferenceException.invalidArgument("unrecognized load parameter '%s' (expected: '%s')", name, CONFIG);
    }
  }

  private static InferenceException notAString(String actual) {
    return InferenceException.invalidArgument("load parameter 'config': %s (expected: a string holding the model "
        + "config in JSON)", actual);
  }
}
