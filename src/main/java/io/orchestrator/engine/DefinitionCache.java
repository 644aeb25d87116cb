package io.orchestrator.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.orchestrator.definitions.OrchestrationStore;
import io.vertx.core.Future;

/**
 * Versions are immutable, so a parsed version is cached for the life of the process (Caffeine, size-bounded; no
 * time to live, unlike the {@link io.orchestrator.common.ReadThroughCache}s of mutable definitions). A version that
 * does not exist fails with {@link MissingVersionException}; the run then fails with {@code definition_missing}.
 * Other failures (PostgreSQL unreachable) pass through unchanged.
 */
public final class DefinitionCache {

  private static final int MAX_ENTRIES = 10_000;

  private final OrchestrationStore store;
  private final Cache<String, ExecutableOrchestration> cache =
    Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

  public DefinitionCache(OrchestrationStore store) {
    this.store = store;
  }

  public Future<ExecutableOrchestration> load(String workspace, String orchestrationId, int version) {
    String key = workspace + "/" + orchestrationId + "/" + version;
    ExecutableOrchestration cached = cache.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return store.findVersion(workspace, orchestrationId, version)
      .compose(found -> found.map(o -> Future.succeededFuture(ExecutableOrchestration.of(o)))
        .orElseGet(() -> Future.failedFuture(new MissingVersionException(orchestrationId, version))))
      .onSuccess(parsed -> cache.put(key, parsed));
  }

  /** The version a run is pinned to does not exist (never a transient condition: the run cannot go on). */
  static final class MissingVersionException extends RuntimeException {

    MissingVersionException(String orchestrationId, int version) {
      super("version " + version + " of " + orchestrationId + " not found", null, false, false);
    }
  }
}
