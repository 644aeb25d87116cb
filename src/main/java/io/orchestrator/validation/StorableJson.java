package io.orchestrator.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds JSON that parses but cannot be stored as sent: PostgreSQL rejects the NUL character in text and jsonb
 * (a 500 otherwise), unpaired UTF-16 surrogates turn into '?' on the way to UTF-8, and non-finite numbers
 * (1e309 parses as infinity) would be stored as the string "Infinity". Walks the whole body, unknown fields
 * included, since definitions are stored with them; reports at most {@link #MAX_REPORTS} places and none where
 * another check already reported the same field.
 */
public final class StorableJson {

  static final int MAX_REPORTS = 20;

  private StorableJson() {
  }

  /** Adds a problem for each unstorable string, field name or number in {@code body}. */
  public static void check(JsonObject body, Problems problems) {
    new Walk(problems).value(body, "");
  }

  private static final class Walk {

    private final Problems problems;
    private int reports;

    Walk(Problems problems) {
      this.problems = problems;
    }

    void value(Object value, String path) {
      if (reports >= MAX_REPORTS) {
        return;
      }
      if (value instanceof JsonObject o) {
        object(o.getMap(), path);
      } else if (value instanceof Map<?, ?> map) {
        object(map, path);
      } else if (value instanceof JsonArray a) {
        array(a.getList(), path);
      } else if (value instanceof List<?> list) {
        array(list, path);
      } else if (value instanceof CharSequence text) {
        textProblem(text.toString()).ifPresent(message -> report(path, message));
      } else if ((value instanceof Double || value instanceof Float)
        && !Double.isFinite(((Number) value).doubleValue())) {
        report(path, "must be a finite number");
      }
    }

    private void object(Map<?, ?> map, String path) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        String child = Problems.path(path, key);
        Optional<String> keyProblem = textProblem(key);
        if (keyProblem.isPresent()) {
          report(path.isEmpty() ? "body" : path, "has a field name that " + keyProblem.get());
          continue;
        }
        value(entry.getValue(), child);
      }
    }

    private void array(List<?> list, String path) {
      for (int i = 0; i < list.size(); i++) {
        value(list.get(i), Problems.path(path, i));
      }
    }

    private void report(String path, String message) {
      if (reports < MAX_REPORTS && !problems.has(path)) {
        problems.add(path, message);
        reports++;
      }
    }
  }

  /** Why {@code text} cannot be stored as sent, if it cannot. */
  static Optional<String> textProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return Optional.of("must not contain the NUL character (\\u0000)");
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of("must not contain unpaired UTF-16 surrogates");
      }
    }
    return Optional.empty();
  }
}
