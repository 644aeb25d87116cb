package io.orchestrator.definitions;

import java.util.List;

/** Picks the next step: the first case whose conditions all hold, else {@code defaultNextStepId} (may be null). */
public record DecisionStep(String id, String name, List<DecisionCase> cases, String defaultNextStepId)
  implements Step {
}
