package io.orchestrator.definitions;

import io.orchestrator.common.Outages;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live orchestrations by id or slug for the trigger hot path, kept for {@link #TTL_MS}: a manual trigger then costs
 * no PostgreSQL query. Changes made through this instance evict at once (it is a {@link DefinitionListener});
 * changes made through another instance are seen within the TTL. While PostgreSQL is unavailable, an entry past
 * its TTL is served as last known (for up to {@link #STALE_MS}), so triggers keep working through the outage.
 */
public final class LiveOrchestrationCache implements DefinitionListener {

  static final long TTL_MS = 1_000;
  static final long STALE_MS = 24 * 60 * 60 * 1000L;
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Optional<Orchestration> orchestration, long loadedAt) {
  }

  private final OrchestrationStore store;
  private final Outages outages;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public LiveOrchestrationCache(OrchestrationStore store, Outages outages, Clock clock) {
    this.store = store;
    this.outages = outages;
    this.clock = clock;
  }

  public Future<Optional<Orchestration>> find(String workspace, String ref) {
    String key = workspace + "/" + ref;
    Entry entry = entries.get(key);
    long now = clock.millis();
    if (entry != null && now - entry.loadedAt() < TTL_MS) {
      return Future.succeededFuture(entry.orchestration());
    }
    return store.find(workspace, ref).onSuccess(found -> {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      entries.put(key, new Entry(found, now));
    }).recover(e -> entry != null && now - entry.loadedAt() < STALE_MS && outages.of(e).isPresent()
      ? Future.succeededFuture(entry.orchestration()) : Future.failedFuture(e));
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
    entries.remove(orchestration.workspace() + "/" + orchestration.id());
    entries.remove(orchestration.workspace() + "/" + orchestration.slug());
  }
}
