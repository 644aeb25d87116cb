package io.orchestrator.engine;

import io.orchestrator.definitions.OrchestrationStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Versions are immutable, so a parsed version is cached for the life of the process (least recently used first
 * out). A version that does not exist fails with {@link MissingVersionException}; the run then fails with
 * {@code definition_missing}. Other failures (PostgreSQL unreachable) pass through unchanged.
 */
public final class DefinitionCache {

  private static final int MAX_ENTRIES = 10_000;

  private final OrchestrationStore store;
  private final Map<String, ExecutableOrchestration> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ExecutableOrchestration> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  public DefinitionCache(OrchestrationStore store) {
    this.store = store;
  }

  public Future<ExecutableOrchestration> load(String workspace, String orchestrationId, int version) {
    String key = workspace + "/" + orchestrationId + "/" + version;
    ExecutableOrchestration cached;
    synchronized (cache) {
      cached = cache.get(key);
    }
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return store.findVersion(workspace, orchestrationId, version)
      .compose(found -> found.map(o -> Future.succeededFuture(ExecutableOrchestration.of(o)))
        .orElseGet(() -> Future.failedFuture(new MissingVersionException(orchestrationId, version))))
      .onSuccess(parsed -> {
        synchronized (cache) {
          cache.put(key, parsed);
        }
      });
  }

  /** The version a run is pinned to does not exist (never a transient condition: the run cannot go on). */
  static final class MissingVersionException extends RuntimeException {

    MissingVersionException(String orchestrationId, int version) {
      super("version " + version + " of " + orchestrationId + " not found", null, false, false);
    }
  }
}
