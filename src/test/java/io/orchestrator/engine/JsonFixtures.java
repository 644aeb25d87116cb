package io.orchestrator.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for plain Java JSON in tests; unlike Map.of / List.of they accept null values. */
final class JsonFixtures {

  private JsonFixtures() {
  }

  /** An object from alternating keys and values, keeping insertion order. */
  static Map<String, Object> obj(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of arguments");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static List<Object> arr(Object... values) {
    return new ArrayList<>(Arrays.asList(values));
  }
}
