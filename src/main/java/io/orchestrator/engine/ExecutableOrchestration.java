package io.orchestrator.engine;

import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.Step;
import io.orchestrator.definitions.StepsParser;
import io.vertx.core.json.JsonArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One immutable version of an orchestration, parsed for execution: steps by id and the entry step. */
public record ExecutableOrchestration(String id, String workspace, int version, Map<String, Step> steps,
                                      String entryStepId) {

  public static ExecutableOrchestration of(Orchestration orchestration) {
    return of(orchestration.id(), orchestration.workspace(), orchestration.version(), orchestration.steps());
  }

  /** {@code steps} as {@link io.orchestrator.definitions.DefinitionValidator} accepted them; the first is the entry. */
  public static ExecutableOrchestration of(String id, String workspace, int version, JsonArray steps) {
    List<Step> parsed = StepsParser.parseSteps(steps);
    Map<String, Step> byId = new LinkedHashMap<>();
    parsed.forEach(step -> byId.put(step.id(), step));
    return new ExecutableOrchestration(id, workspace, version, Map.copyOf(byId), parsed.get(0).id());
  }

  public Step step(String stepId) {
    return steps.get(stepId);
  }
}
