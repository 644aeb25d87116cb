package io.orchestrator.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves dotted paths ({@code input.items.0.sku}, {@code steps.fetch.output}) against plain Java JSON:
 * {@link Map}, {@link List}, String, Number, Boolean, null.
 *
 * <ul>
 *   <li>On a Map a segment is a key lookup, even when it looks numeric ({@code "0"} looks up key "0"). A key
 *       present with a null value is found, with value null.</li>
 *   <li>On a List a segment must be a canonical non-negative index ({@code 0}, {@code 12}; not {@code -1},
 *       {@code 01} or {@code +1}); an index out of range is missing.</li>
 *   <li>Any segment applied to anything else (a string, number, boolean or null) is missing.</li>
 * </ul>
 *
 * <p>Segments are split on every dot, so an empty segment ({@code input..x}, a trailing dot) is a lookup of
 * the empty key: it only matches a Map that really has key "". Values must be deep plain Java: a Vert.x
 * JsonObject nested inside a Map is not a Map and resolves nothing further.
 */
public final class PathResolver {

  private PathResolver() {
  }

  /** Walks {@code path} from {@code root}; never throws for shape mismatches, only reports missing. */
  public static PathLookup resolve(Object root, String path) {
    Objects.requireNonNull(path, "path");
    Object current = root;
    int start = 0;
    while (true) {
      int dot = path.indexOf('.', start);
      String segment = dot < 0 ? path.substring(start) : path.substring(start, dot);
      PathLookup step = child(current, segment);
      if (!step.found() || dot < 0) {
        return step;
      }
      current = step.value();
      start = dot + 1;
    }
  }

  private static PathLookup child(Object container, String segment) {
    if (container instanceof Map<?, ?> map) {
      return map.containsKey(segment) ? PathLookup.of(map.get(segment)) : PathLookup.missing();
    }
    if (container instanceof List<?> list) {
      int index = index(segment);
      return index >= 0 && index < list.size() ? PathLookup.of(list.get(index)) : PathLookup.missing();
    }
    return PathLookup.missing();
  }

  /** The array index a segment denotes, or -1. Capped at 9 digits so parsing can never overflow an int. */
  private static int index(String segment) {
    int length = segment.length();
    if (length == 0 || length > 9 || (length > 1 && segment.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < length; i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Integer.parseInt(segment);
  }
}
