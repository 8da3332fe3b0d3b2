package dev.yardmaster.profiler.profile;

import dev.yardmaster.backend.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads and writes profile files. Reading validates everything and reports all problems at once,
 * each naming the JSON field ({@code profile higgs_mlp.json: entries[2].grid[0].p99_ms: -1
 * (expected: >= 0)}); entries without {@code derived} get it computed. Writing is atomic.
 */
public final class ProfileFiles {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ProfileFiles() {}

  public static Profile read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
  }

  /** Parses and validates {@code json}; {@code fileName} prefixes each problem. */
  public static Profile parse(String json, String fileName) throws InvalidProfileException {
    String where = "profile " + fileName;
    Profile profile;
    try {
      profile = MAPPER.readValue(json, Profile.class);
    } catch (JsonProcessingException e) {
      throw new InvalidProfileException(List.of(where + ": " + describe(e)));
    }
    if (profile == null) {
      throw new InvalidProfileException(List.of(where + ": null (expected: a JSON object)"));
    }
    List<String> problems = ProfileValidator.validate(profile, where);
    if (!problems.isEmpty()) {
      throw new InvalidProfileException(problems);
    }
    return fillDerived(profile);
  }

  /** Validates, computes missing derived facts, and replaces {@code file} atomically. */
  public static void write(Path file, Profile profile) throws IOException {
    String json = toJson(profile, file.getFileName().toString());
    AtomicFiles.writeString(file, json);
  }

  /** The JSON text {@link #write} would write. */
  public static String toJson(Profile profile, String fileName) throws InvalidProfileException {
    List<String> problems = ProfileValidator.validate(profile, "profile " + fileName);
    if (!problems.isEmpty()) {
      throw new InvalidProfileException(problems);
    }
    try {
      return MAPPER.writeValueAsString(fillDerived(profile)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("profile " + fileName + ": cannot serialize", e);
    }
  }

  private static Profile fillDerived(Profile profile) {
    boolean missing = false;
    for (ProfileEntry entry : profile.entries()) {
      missing |= entry.derived() == null;
    }
    if (!missing) {
      return profile;
    }
    List<ProfileEntry> entries = new ArrayList<>(profile.entries().size());
    for (ProfileEntry entry : profile.entries()) {
      entries.add(entry.derived() != null ? entry
          : entry.withDerived(Derivation.derive(entry, profile.tiers(), profile.targetThroughput())));
    }
    return profile.withEntries(entries);
  }

  /** Jackson's failure in the file's grammar: {@code field.path: what (expected: ...)}. */
  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return path(unknown) + ": unknown field (expected: one of "
          + String.join(", ", new TreeSet<>(unknown.getKnownPropertyIds().stream().map(String::valueOf).toList()))
          + ")";
    }
    String message = e.getOriginalMessage();
    if (e instanceof MismatchedInputException mismatch) {
      String missingPrefix = "Missing required creator property '";
      if (message != null && message.startsWith(missingPrefix)) {
        String name = message.substring(missingPrefix.length(), message.indexOf('\'', missingPrefix.length()));
        String field = path(mismatch); // Jackson 2.23 ends the path with the missing property
        if (!field.equals(name) && !field.endsWith("." + name)) {
          field = field.isEmpty() ? name : field + "." + name;
        }
        return field + ": missing (expected: present)";
      }
      String type = mismatch.getTargetType() == null ? "a value" : mismatch.getTargetType().getSimpleName();
      return path(mismatch) + ": " + firstLine(message) + " (expected: " + type + ")";
    }
    String location = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + " column "
        + e.getLocation().getColumnNr() + ": ";
    return location + "malformed JSON, " + firstLine(message) + " (expected: a JSON profile document)";
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String firstLine(@org.jspecify.annotations.Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
