package io.orchestrator.engine;

import java.util.Objects;

/**
 * What a decision step resolved to: {@link Next} (go to a step, via a case or the default) or
 * {@link NoMatch} (no case matched and there is no default; the engine fails the run with
 * {@link NoMatch#CODE}).
 */
public sealed interface DecisionOutcome permits DecisionOutcome.Next, DecisionOutcome.NoMatch {

  /** Case index reported when the run goes to the step's default rather than to a case. */
  int DEFAULT_CASE = -1;

  /** Go to a case's next step ({@code caseIndex} 0-based) or to the default ({@code caseIndex} -1). */
  static DecisionOutcome next(String nextStepId, int caseIndex) {
    return new Next(nextStepId, caseIndex);
  }

  /** No case matched and the step has no default. */
  static DecisionOutcome noMatch() {
    return NoMatch.INSTANCE;
  }

  /**
   * The run continues at {@code nextStepId}.
   *
   * @param nextStepId the step to run next, never null
   * @param caseIndex the 0-based index of the matching case, or {@link #DEFAULT_CASE} for the default
   */
  record Next(String nextStepId, int caseIndex) implements DecisionOutcome {

    public Next {
      Objects.requireNonNull(nextStepId, "nextStepId");
      if (caseIndex < DEFAULT_CASE) {
        throw new IllegalArgumentException("caseIndex must be >= -1, got " + caseIndex);
      }
    }

    /** Whether the run goes to the default because no case matched. */
    public boolean viaDefault() {
      return caseIndex == DEFAULT_CASE;
    }
  }

  /** No case matched and there is no default: the run cannot continue. */
  record NoMatch() implements DecisionOutcome {

    /** The error code the engine records on the run. */
    public static final String CODE = "no_matching_case";

    private static final NoMatch INSTANCE = new NoMatch();

    /** Same as {@link #CODE}, for callers holding an instance. */
    public String code() {
      return CODE;
    }
  }
}
