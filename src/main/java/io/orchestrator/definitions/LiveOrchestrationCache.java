package io.orchestrator.definitions;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live orchestrations by id or slug for the trigger hot path, kept for {@link #TTL_MS}: a manual trigger then costs
 * no PostgreSQL query. Changes made through this instance evict at once (it is a {@link DefinitionListener});
 * changes made through another instance are seen within the TTL.
 */
public final class LiveOrchestrationCache implements DefinitionListener {

  static final long TTL_MS = 1_000;
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Optional<Orchestration> orchestration, long loadedAt) {
  }

  private final OrchestrationStore store;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public LiveOrchestrationCache(OrchestrationStore store, Clock clock) {
    this.store = store;
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
    });
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
