package dev.yardmaster.router.server.http;

import java.util.Map;

/**
 * Which outputs of an inference response go back as binary tensor data, by Triton's rule
 * ({@code http_server.cc}): a requested output is binary exactly when it asks with
 * {@code "parameters": {"binary_data": true}}, whatever the request's {@code binary_data_output}
 * says; that parameter decides for the outputs the request does not list (all of them when it lists
 * none).
 *
 * @param binaryByDefault the request's {@code binary_data_output}, for outputs it does not list
 * @param binaryByOutput each requested output's own {@code binary_data}, false where it gave none
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
