package io.orchestrator.runs;

import java.util.Objects;

/**
 * A failed step attempt. The store adds {@code at} (its clock's now) when it appends the entry to {@code errors}.
 *
 * @param code    machine-readable, e.g. {@code http_500}, {@code timeout}, {@code no_matching_case}
 * @param attempt the attempt that failed, from 1
 */
public record StepError(String stepId, String code, String message, int attempt) {

  public StepError {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
  }
}
