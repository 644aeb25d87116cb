package io.orchestrator.functions;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Functions as the engine sees them: read from the store and kept for a short time, so a hot function costs no
 * query per step while an update still takes effect within {@link #TTL_MS}.
 */
public final class FunctionLookup {

  static final long TTL_MS = 2_000;

  private record Entry(Optional<FunctionDef> function, long loadedAt) {
  }

  private final FunctionStore store;
  private final Clock clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public FunctionLookup(FunctionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Future<Optional<FunctionDef>> find(String workspace, String functionId) {
    String key = workspace + "/" + functionId;
    Entry entry = cache.get(key);
    long now = clock.millis();
    if (entry != null && now - entry.loadedAt() < TTL_MS) {
      return Future.succeededFuture(entry.function());
    }
    return store.find(workspace, functionId).onSuccess(found -> {
      if (cache.size() > 10_000) {
        cache.clear();
      }
      cache.put(key, new Entry(found, now));
    });
  }
}
