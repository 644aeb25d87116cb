package io.orchestrator.schedule;

import java.util.Objects;

/**
 * A schedule field the model refuses, named as in the API ({@code cronExpression}, {@code timezone},
 * {@code interval}, {@code scheduledAt}) with the one message the API reports for it.
 *
 * <p>The definitions validator maps {@link #field()} and {@link #problem()} to a field error; everyone else sees
 * {@link #getMessage()}, the two joined ("cronExpression never fires: no date matches it").
 */
public final class InvalidScheduleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  InvalidScheduleException(String field, String problem) {
    super(field + " " + problem);
    this.field = Objects.requireNonNull(field, "field");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The refused field, e.g. {@code cronExpression}. */
  public String field() {
    return field;
  }

  /** What is wrong with it, phrased to follow the field name, e.g. {@code must have 5 fields (...), got 6}. */
  public String problem() {
    return problem;
  }
}
