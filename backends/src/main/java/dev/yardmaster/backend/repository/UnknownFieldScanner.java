package dev.yardmaster.backend.repository;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Finds the fields of a protobuf text-format document that a message type does not declare, so a
 * lenient parse can say what it ignored. Only the outermost unknown field of a subtree is named.
 * A light scan (comments and strings skipped, braces tracked), run only on text that parsed.
 */
final class UnknownFieldScanner {

  private UnknownFieldScanner() {}

  /** Each unknown field as {@code path (line N)}, e.g. {@code optimization (line 12)}. */
  static List<String> scan(String text, Descriptor root) {
    List<String> unknown = new ArrayList<>();
    Deque<Optional<Descriptor>> scopes = new ArrayDeque<>();
    Deque<String> paths = new ArrayDeque<>();
    scopes.push(Optional.of(root));
    paths.push("");
    // '[' opens a list of values; a '{' inside it opens one more element of the field before it.
    Deque<Optional<Descriptor>> listScopes = new ArrayDeque<>();
    Deque<String> listPaths = new ArrayDeque<>();
    Optional<Descriptor> pendingScope = Optional.empty();
    String pendingPath = "";
    boolean pendingFresh = false;
    int line = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == '#') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        i = skipString(text, i);
      } else if (c == '[') {
        listScopes.push(pendingScope);
        listPaths.push(pendingPath);
        pendingFresh = false;
        i++;
      } else if (c == ']' && !listScopes.isEmpty()) {
        listScopes.pop();
        listPaths.pop();
        i++;
      } else if (c == '{' || c == '<') {
        boolean listElement = !pendingFresh && !listScopes.isEmpty();
        scopes.push(listElement ? listScopes.peek() : pendingScope);
        paths.push(listElement ? listPaths.peek() : pendingPath);
        pendingScope = Optional.empty();
        pendingFresh = false;
        i++;
      } else if ((c == '}' || c == '>') && scopes.size() > 1) {
        scopes.pop();
        paths.pop();
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        String identifier = text.substring(i, end);
        char next = nextSignificant(text, end);
        if (next == ':' || next == '{' || next == '<' || next == '[') {
          Optional<Descriptor> scope = scopes.peek();
          String path = paths.peek().isEmpty() ? identifier : paths.peek() + "." + identifier;
          pendingScope = Optional.empty();
          pendingPath = path;
          pendingFresh = true;
          if (scope != null && scope.isPresent()) {
            FieldDescriptor field = scope.get().findFieldByName(identifier);
            if (field == null) {
              unknown.add(path + " (line " + line + ")");
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
              pendingScope = Optional.of(field.getMessageType());
            }
          }
        }
        i = end;
      } else {
        i++;
      }
    }
    return unknown;
  }

  private static int skipString(String text, int start) {
    char quote = text.charAt(start);
    int i = start + 1;
    while (i < text.length() && text.charAt(i) != quote && text.charAt(i) != '\n') {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  private static char nextSignificant(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c;
      }
    }
    return 0;
  }

  /**
   * The dotted path of the last field named before a 1-based line and column, e.g.
   * {@code dynamic_batching.max_queue_delay_microseconds}; "" when there is none. Lets a parse error
   * name the field as well as the position.
   */
  static String fieldPathBefore(String text, int line, int column) {
    int offset = 0;
    for (int current = 1; current < line && offset < text.length(); offset++) {
      if (text.charAt(offset) == '\n') {
        current++;
      }
    }
    String before = text.substring(0, Math.min(text.length(), offset + Math.max(0, column - 1)));
    Deque<String> messages = new ArrayDeque<>();
    Deque<String> lists = new ArrayDeque<>();
    String lastField = "";
    boolean fresh = false;
    int i = 0;
    while (i < before.length()) {
      char c = before.charAt(i);
      if (c == '#') {
        while (i < before.length() && before.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        i = skipString(before, i);
      } else if (c == '[') {
        lists.push(lastField);
        fresh = false;
        i++;
      } else if (c == ']' && !lists.isEmpty()) {
        lists.pop();
        i++;
      } else if (c == '{' || c == '<') {
        messages.push(!fresh && !lists.isEmpty() ? lists.peek() : lastField);
        fresh = false;
        i++;
      } else if ((c == '}' || c == '>') && !messages.isEmpty()) {
        messages.pop();
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < before.length() && (Character.isLetterOrDigit(before.charAt(end)) || before.charAt(end) == '_')) {
          end++;
        }
        char next = nextSignificant(text, end);
        if (next == ':' || next == '{' || next == '<' || next == '[') {
          lastField = before.substring(i, end);
          fresh = true;
        }
        i = end;
      } else {
        i++;
      }
    }
    if (lastField.isEmpty()) {
      return "";
    }
    List<String> path = new ArrayList<>(messages);
    java.util.Collections.reverse(path);
    path.add(lastField);
    return String.join(".", path);
  }
}
