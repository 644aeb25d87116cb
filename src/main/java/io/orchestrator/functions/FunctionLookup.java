package io.orchestrator.functions;

import io.orchestrator.common.Outages;
import io.orchestrator.common.ReadThroughCache;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Functions as the engine sees them: read from the store and kept for a short time, so a hot function costs no
 * query per step while an update still takes effect within {@link #TTL}; while PostgreSQL is down the last read is
 * used (see {@link ReadThroughCache}), so compute steps go on through the outage.
 */
public final class FunctionLookup {

  static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration STALE_FOR = Duration.ofHours(24);
  private static final int MAX_ENTRIES = 10_000;

  private final FunctionStore store;
  private final ReadThroughCache<String, Optional<FunctionDef>> cache;

  public FunctionLookup(FunctionStore store, Outages outages, Clock clock) {
    this.store = store;
    this.cache = new ReadThroughCache<>(TTL, STALE_FOR, MAX_ENTRIES, outages, clock);
  }

  public Future<Optional<FunctionDef>> find(String workspace, String functionId) {
    return cache.get(workspace + "/" + functionId, () -> store.find(workspace, functionId));
  }
}
