package io.orchestrator.store.pg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * jsonb cannot hold the character U+0000 (PostgreSQL answers 22P05 "unsupported Unicode escape sequence"), which a
 * run can still carry where no API check reaches: a function's output, a webhook body. This copies a document with
 * every U+0000 in its strings and field names replaced by U+FFFD, the replacement character, so the history write
 * of such a run succeeds instead of failing, with every run queued behind it, on every retry.
 */
final class JsonbSafe {

  static final String UNSUPPORTED_ESCAPE = "22P05";
  private static final char NUL = '\u0000';
  private static final char REPLACEMENT = '\uFFFD';

  private JsonbSafe() {
  }

  static JsonObject copy(JsonObject document) {
    return object(document.getMap());
  }

  private static JsonObject object(Map<?, ?> map) {
    JsonObject out = new JsonObject();
    map.forEach((key, value) -> out.put(text(String.valueOf(key)), value(value)));
    return out;
  }

  private static Object value(Object value) {
    if (value instanceof JsonObject o) {
      return object(o.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return object(map);
    }
    if (value instanceof JsonArray a) {
      return array(a.getList());
    }
    if (value instanceof List<?> list) {
      return array(list);
    }
    if (value instanceof CharSequence chars) {
      return text(chars.toString());
    }
    return value;
  }

  private static JsonArray array(List<?> list) {
    JsonArray out = new JsonArray();
    list.forEach(item -> out.add(value(item)));
    return out;
  }

  private static String text(String s) {
    return s.indexOf(NUL) < 0 ? s : s.replace(NUL, REPLACEMENT);
  }
}
