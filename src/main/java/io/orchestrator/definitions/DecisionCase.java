package io.orchestrator.definitions;

import java.util.List;

/** All conditions must hold (AND) for the run to go to {@code nextStepId}. */
public record DecisionCase(List<Condition> conditions, String nextStepId) {
}
