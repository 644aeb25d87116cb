package io.orchestrator.simulation;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.engine.ExecutableOrchestration;
import io.orchestrator.engine.Mocks;
import io.orchestrator.engine.Simulation;
import io.orchestrator.engine.Simulator;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.validation.Problems;
import io.orchestrator.validation.StorableJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulations (DESIGN.md §9): a saved orchestration version, or an unsaved definition, run by the {@link Simulator}
 * with mocks for its functions. Reads definitions (and, for an unsaved one, the workspace's function ids, as a create
 * does); writes nothing, calls nothing, starts no run.
 *
 * <p>Request fields: {@code input} and {@code context} (objects, default {}, as for the manual trigger), {@code mocks}
 * (an object, default {}: every compute step then fails with no_mock), {@code version} (saved only, an integer ≥ 1,
 * default the current one) and {@code definition} (unsaved only, validated as a create except that slug and name are
 * optional; its problems carry the create's paths under {@code definition.}).
 */
public final class SimulationService {

  private static final String INVALID = "Invalid request body";
  private static final String DEFINITION = "definition";

  private final OrchestrationService orchestrations;
  private final Simulator simulator;

  public SimulationService(OrchestrationService orchestrations, Simulator simulator) {
    this.orchestrations = orchestrations;
    this.simulator = simulator;
  }

  /**
   * Simulates version {@code body.version} (default: the current one) of the orchestration {@code ref} names, active
   * or not. Fails validation_error for a malformed body or a mock of a step that is not a compute step of that
   * version, not_found for an unknown orchestration (deleted, another workspace's) or version.
   */
  public Future<Simulation> saved(String workspace, String ref, JsonObject body) {
    Problems problems = new Problems();
    Integer version = requestProblems(body, problems, true);
    if (!problems.isEmpty()) {
      return Future.failedFuture(ApiException.validation(INVALID, problems.toList()));
    }
    return orchestrations.version(workspace, ref, version)
      .compose(found -> simulate(ExecutableOrchestration.of(found), body));
  }

  /** Simulates {@code body.definition}; every problem of the body → validation_error, as {@link #problems} lists. */
  public Future<Simulation> unsaved(String workspace, JsonObject body) {
    return problems(workspace, body).compose(found -> found.isEmpty()
      ? simulate(draft(workspace, body.getJsonObject(DEFINITION)), body)
      : Future.failedFuture(ApiException.validation(INVALID, found)));
  }

  /**
   * Every problem of an unsaved simulation's body at once: its fields', the definition's (paths of a create under
   * {@code definition.}) and, when the definition is valid, mocks naming no compute step of it.
   */
  public Future<List<FieldError>> problems(String workspace, JsonObject body) {
    Problems problems = new Problems();
    requestProblems(body, problems, false);
    JsonObject definition = body == null ? null : new BodyReader(problems).object(body, "", DEFINITION, true);
    Future<List<FieldError>> definitionProblems = definition == null ? Future.succeededFuture(List.of())
      : orchestrations.draftProblems(workspace, definition).map(SimulationService::underDefinition);
    return definitionProblems.map(found -> {
      List<FieldError> all = new ArrayList<>(problems.toList());
      all.addAll(found);
      if (all.isEmpty()) {
        Problems steps = new Problems();
        Mocks.parse(body.getJsonObject("mocks"), draft(workspace, definition), steps);
        all.addAll(steps.toList());
      }
      return all;
    });
  }

  private Future<Simulation> simulate(ExecutableOrchestration def, JsonObject body) {
    Problems problems = new Problems();
    Mocks mocks = Mocks.parse(body.getJsonObject("mocks"), def, problems);
    if (!problems.isEmpty()) {
      return Future.failedFuture(ApiException.validation(INVALID, problems.toList()));
    }
    return Future.succeededFuture(simulator.run(def, objectOrEmpty(body, "input"), objectOrEmpty(body, "context"),
      mocks));
  }

  /** Absent and JSON null alike mean {} (a validated body holds nothing else there but an object). */
  private static JsonObject objectOrEmpty(JsonObject body, String key) {
    return body.getValue(key) instanceof JsonObject object ? object : new JsonObject();
  }

  /** Checks input, context, mocks (their shape) and, for a saved simulation, version; returns the version. */
  private static Integer requestProblems(JsonObject body, Problems problems, boolean saved) {
    if (body == null) {
      problems.add("", "must be a JSON object");
      return null;
    }
    BodyReader reader = new BodyReader(problems);
    JsonObject input = reader.object(body, "", "input", false);
    JsonObject context = reader.object(body, "", "context", false);
    JsonObject mocks = reader.object(body, "", "mocks", false);
    Mocks.parse(mocks, null, problems);
    StorableJson.check(new JsonObject().put("input", input).put("context", context).put("mocks", mocks), problems);
    Long version = saved ? reader.integer(body, "", "version", false, 1, Integer.MAX_VALUE) : null;
    return version == null ? null : version.intValue();
  }

  private static ExecutableOrchestration draft(String workspace, JsonObject definition) {
    return ExecutableOrchestration.of(null, workspace, 0, definition.getJsonArray("steps"));
  }

  private static List<FieldError> underDefinition(List<FieldError> problems) {
    return problems.stream().map(e -> new FieldError(e.field().isEmpty() ? DEFINITION
      : DEFINITION + "." + e.field(), e.message())).toList();
  }
}
