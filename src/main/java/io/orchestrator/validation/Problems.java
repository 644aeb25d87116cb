package io.orchestrator.validation;

import io.orchestrator.common.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found in one request body, in the order found, so a client sees them all at once.
 * Paths are dotted into the request: {@code steps[2].cases[0].conditions[1].value}; the body itself is {@code ""}.
 */
public final class Problems {

  private final List<FieldError> errors = new ArrayList<>();

  public void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** True when a problem was already reported for exactly {@code field}. */
  public boolean has(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** An immutable snapshot of the problems found so far. */
  public List<FieldError> toList() {
    return List.copyOf(errors);
  }

  /** {@code parent.key}, or just {@code key} at the top level. */
  public static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** {@code parent[index]}. */
  public static String path(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
