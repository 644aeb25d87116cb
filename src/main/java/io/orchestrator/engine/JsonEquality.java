package io.orchestrator.engine;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Equality of plain Java JSON values as JSON sees them, not as {@link Object#equals} does.
 *
 * <ul>
 *   <li>Numbers are equal by value whatever their Java type: {@code 1}, {@code 1L}, {@code 1.0},
 *       {@code new BigDecimal("1.00")} are all equal. A double is read as its shortest decimal form, so
 *       {@code 0.1} equals {@code new BigDecimal("0.1")}.</li>
 *   <li>Objects ({@link Map}) are equal when they have the same keys with equal values; key order is
 *       irrelevant, and a key holding null differs from an absent key.</li>
 *   <li>Arrays ({@link List}) are equal element by element, in order.</li>
 *   <li>Strings and booleans compare exactly; null equals only null. There is no coercion: {@code "1"} is not
 *       {@code 1} and {@code "true"} is not {@code true}.</li>
 * </ul>
 */
public final class JsonEquality {

  private JsonEquality() {
  }

  /** Whether {@code a} and {@code b} are the same JSON value. */
  public static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number && b instanceof Number) {
      return JsonNumbers.compare(a, b).orElse(1) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return objectsEqual(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      return arraysEqual(x, y);
    }
    // Strings, booleans, and anything non-JSON: same Java type and equals, so a number never equals a string.
    return a.getClass() == b.getClass() && Objects.equals(a, b);
  }

  private static boolean objectsEqual(Map<?, ?> x, Map<?, ?> y) {
    if (x.size() != y.size()) {
      return false;
    }
    for (Map.Entry<?, ?> entry : x.entrySet()) {
      Object key = entry.getKey();
      if (!y.containsKey(key) || !equal(entry.getValue(), y.get(key))) {
        return false;
      }
    }
    return true;
  }

  private static boolean arraysEqual(List<?> x, List<?> y) {
    if (x.size() != y.size()) {
      return false;
    }
    Iterator<?> i = x.iterator();
    Iterator<?> j = y.iterator();
    while (i.hasNext()) {
      if (!equal(i.next(), j.next())) {
        return false;
      }
    }
    return true;
  }
}
