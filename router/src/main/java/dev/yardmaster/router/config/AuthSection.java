package dev.yardmaster.router.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.admission.AuthConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses the {@code auth} section: {@code tokens_file} (callers) and {@code admin_tokens_file}
 * (admins, who may also pin a pool), each a file of bearer tokens, one a line, blank lines and
 * {@code #} comments ignored, relative to the config file's folder (a mounted Kubernetes Secret,
 * say). Tokens never go in the YAML itself. No section: auth is off.
 */
final class AuthSection {

  private static final Set<String> KEYS = Set.of("tokens_file", "admin_tokens_file");

  private AuthSection() {}

  static AuthConfig parse(@Nullable JsonNode node, Path baseDir, List<String> problems) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return AuthConfig.off();
    }
    if (!node.isObject() || node.isEmpty()) {
      problems.add("auth: " + RouterConfigLoader.describe(node)
          + " (expected: a mapping with tokens_file and/or admin_tokens_file)");
      return AuthConfig.off();
    }
    for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        problems.add("auth." + key + ": unknown key (expected: one of " + KEYS.stream().sorted().toList() + ")");
      }
    }
    List<String> callers = tokens(node.get("tokens_file"), "auth.tokens_file", baseDir, problems);
    List<String> admins = tokens(node.get("admin_tokens_file"), "auth.admin_tokens_file", baseDir, problems);
    return AuthConfig.ofTokens(callers, admins);
  }

  private static List<String> tokens(@Nullable JsonNode value, String at, Path baseDir, List<String> problems) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(at + ": " + RouterConfigLoader.describe(value) + " (expected: a file path)");
      return List.of();
    }
    Path file = baseDir.resolve(value.asText());
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      problems.add(at + ": " + file + " cannot be read: " + e.getMessage()
          + " (expected: a readable file of bearer tokens, one a line)");
      return List.of();
    }
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!line.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        problems.add(at + ": " + file + " line " + (i + 1)
            + ": a token with spaces or non-ASCII characters (expected: one token a line, visible ASCII)");
        continue;
      }
      tokens.add(line);
    }
    if (tokens.isEmpty()) {
      problems.add(at + ": " + file + " holds no token (expected: one bearer token a line)");
    }
    return tokens;
  }
}
