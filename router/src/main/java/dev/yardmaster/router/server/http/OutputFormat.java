package dev.yardmaster.router.server.http;

import java.util.Map;

/**
 * Which outputs of an inference response go back as binary tensor data: those asked for with
 * {@code "parameters": {"binary_data": true}}, and, when the request sets
 * {@code "parameters": {"binary_data_output": true}}, every output that does not say otherwise.
 *
 * @param binaryByDefault the request's {@code binary_data_output}
 * @param binaryByOutput each requested output's own {@code binary_data}, where it gave one
 */
record OutputFormat(boolean binaryByDefault, Map<String, Boolean> binaryByOutput) {

  /** Every output as JSON {@code data}. */
  static final OutputFormat JSON = new OutputFormat(false, Map.of());

  OutputFormat {
    binaryByOutput = Map.copyOf(binaryByOutput);
  }

  boolean binary(String output) {
    return binaryByOutput.getOrDefault(output, binaryByDefault);
  }
}
