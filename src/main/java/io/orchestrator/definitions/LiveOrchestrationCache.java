package io.orchestrator.definitions;

import io.orchestrator.common.Outages;
import io.orchestrator.common.ReadThroughCache;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Live orchestrations by id or slug for the trigger hot path, kept for {@link #TTL}: a manual trigger then costs
 * no PostgreSQL query. Changes made through this instance evict at once (it is a {@link DefinitionListener});
 * changes made through another instance are seen within the TTL. While PostgreSQL is unavailable, an entry past
 * its TTL is served as last known (for up to {@link #STALE_FOR}), so triggers keep working through the outage.
 */
public final class LiveOrchestrationCache implements DefinitionListener {

  static final Duration TTL = Duration.ofSeconds(1);
  static final Duration STALE_FOR = Duration.ofHours(24);
  private static final int MAX_ENTRIES = 10_000;

  private final OrchestrationStore store;
  private final ReadThroughCache<String, Optional<Orchestration>> entries;

  public LiveOrchestrationCache(OrchestrationStore store, Outages outages, Clock clock) {
    this.store = store;
    this.entries = new ReadThroughCache<>(TTL, STALE_FOR, MAX_ENTRIES, outages, clock);
  }

  public Future<Optional<Orchestration>> find(String workspace, String ref) {
    return entries.get(workspace + "/" + ref, () -> store.find(workspace, ref));
  }

  @Override
  public void saved(Orchestration orchestration) {
    evict(orchestration);
  }

  @Override
  public void deleted(Orchestration orchestration) {
    evict(orchestration);
  }

  private void evict(Orchestration orchestration) {
    entries.invalidate(orchestration.workspace() + "/" + orchestration.id());
    entries.invalidate(orchestration.workspace() + "/" + orchestration.slug());
  }
}
