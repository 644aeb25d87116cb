package io.orchestrator.runs;

import io.orchestrator.common.Outages;
import io.orchestrator.common.ReadThroughCache;
import io.orchestrator.definitions.OrchestrationStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Step id → type (compute, decision, delay) of an orchestration version, for the run timeline. Versions never
 * change, so an entry is kept until evicted by size; deleted orchestrations' versions are still found.
 */
public final class StepTypes {

  private static final Duration KEEP = Duration.ofDays(1);
  private static final int MAX_VERSIONS = 10_000;

  private final OrchestrationStore orchestrations;
  private final ReadThroughCache<String, Map<String, String>> versions;

  public StepTypes(OrchestrationStore orchestrations, Outages outages, Clock clock) {
    this.orchestrations = orchestrations;
    this.versions = new ReadThroughCache<>(KEEP, KEEP, MAX_VERSIONS, outages, clock);
  }

  /** @return the types of the run's version; empty when the version cannot be found */
  public Future<Map<String, String>> of(Run run) {
    String key = run.workspace() + "/" + run.orchestrationId() + "/" + run.orchestrationVersion();
    return versions.get(key, () -> orchestrations.findVersion(run.workspace(), run.orchestrationId(),
        run.orchestrationVersion())
      .map(found -> found.map(orchestration -> {
        Map<String, String> types = new HashMap<>();
        orchestration.steps().forEach(step -> types.put(((JsonObject) step).getString("id"),
          ((JsonObject) step).getString("type")));
        return Map.copyOf(types);
      }).orElse(Map.of())));
  }
}
