package io.orchestrator.engine;

/**
 * The result of resolving a dotted path: either found (with a value that may be JSON null) or missing.
 *
 * <p>{@link java.util.Optional} cannot tell "present with value null" from "absent", and the condition semantics
 * need exactly that difference ({@code exists} is true for a null value, false for a missing one).
 *
 * @param found whether every segment of the path resolved
 * @param value the value at the path; always null when {@code found} is false
 */
public record PathLookup(boolean found, Object value) {

  private static final PathLookup MISSING = new PathLookup(false, null);

  public PathLookup {
    if (!found && value != null) {
      throw new IllegalArgumentException("a missing lookup carries no value");
    }
  }

  /** A path that resolved; {@code value} may be null (JSON null). */
  public static PathLookup of(Object value) {
    return new PathLookup(true, value);
  }

  /** A path with an absent segment. */
  public static PathLookup missing() {
    return MISSING;
  }
}
