package io.orchestrator.engine;

import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.Step;
import io.orchestrator.definitions.StepsParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One immutable version of an orchestration, parsed for execution: steps by id and the entry step. */
public record ExecutableOrchestration(String id, String workspace, int version, Map<String, Step> steps,
                                      String entryStepId) {

  public static ExecutableOrchestration of(Orchestration orchestration) {
    List<Step> parsed = StepsParser.parseSteps(orchestration.steps());
    Map<String, Step> byId = new LinkedHashMap<>();
    parsed.forEach(step -> byId.put(step.id(), step));
    return new ExecutableOrchestration(orchestration.id(), orchestration.workspace(), orchestration.version(),
      Map.copyOf(byId), parsed.get(0).id());
  }

  public Step step(String stepId) {
    return steps.get(stepId);
  }
}
