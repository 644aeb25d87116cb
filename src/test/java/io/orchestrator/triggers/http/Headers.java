package io.orchestrator.triggers.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Test helper: a case-insensitive header lookup like the HTTP layer passes in. */
final class Headers {

  private Headers() {
  }

  static Function<String, String> of(String... namesAndValues) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers::get;
  }

  static Function<String, String> of(Map<String, Object> source) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    source.forEach((name, value) -> headers.put(name, String.valueOf(value)));
    return headers::get;
  }
}
