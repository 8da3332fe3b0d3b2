package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Triton config fields that Yardmaster does not model and cannot ignore: each changes what a
 * model computes or needs, so serving the model without it would answer wrongly (a stateful model
 * without its sequence batcher's control inputs and state, a ragged model without its batch
 * inputs). A config naming one fails to load, saying which; other unknown fields (e.g. {@code
 * optimization}, {@code response_cache}) only tune how a model runs and are ignored with a note.
 */
final class UnservableFields {

  /** Top-level field -> why it cannot be served, as the message's "expected" part. */
  private static final Map<String, String> WHY = Map.of(
      "sequence_batching", "a stateless model, with dynamic_batching or no scheduler: Yardmaster has no sequence"
          + " batcher, which gives a stateful model its control inputs and keeps its state",
      "ensemble_scheduling", "one ONNX model: Yardmaster does not run ensembles",
      "batch_input", "no batch_input: Yardmaster does not make the ragged-batch inputs a model reads it for",
      "batch_output", "no batch_output: Yardmaster does not scatter ragged-batch outputs");

  private UnservableFields() {}

  /**
   * Refuses a config whose unknown fields include one of {@link #WHY}.
   *
   * @param source where the config came from, e.g. {@code config.pbtxt}
   * @param unknown the unknown fields' paths, each optionally followed by a space and where it is,
   *     e.g. {@code sequence_batching (line 4)}
   * @throws InferenceException INVALID_ARGUMENT naming each such field and why
   */
  static void refuse(String source, List<String> unknown) {
    List<String> problems = unknown.stream()
        .filter(field -> WHY.containsKey(topLevel(field)))
        .map(field -> source + ": " + field + ": not supported (expected: " + WHY.get(topLevel(field)) + ")")
        .toList();
    if (!problems.isEmpty()) {
      throw InferenceException.invalidArgument("%s", String.join("; ", problems));
    }
  }

  /** The field's first name, in Triton's spelling: {@code batchInput.x (line 3)} is {@code batch_input}. */
  private static String topLevel(String field) {
    int end = field.length();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '.' || c == ' ') {
        end = i;
        break;
      }
    }
    return field.substring(0, end).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
