package io.orchestrator.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A read-through cache of store reads (Caffeine underneath): a value is served from memory for {@code ttl}, then
 * read again, by one read per key however many callers ask meanwhile (a hot key under load costs one query per
 * {@code ttl}, not one per request). When that read fails on a store outage, the last value read (up to
 * {@code staleFor} old) is served instead, so what was cached keeps working while PostgreSQL is down; any other
 * failure is the callers'. Callers get their answer on their own Vert.x context.
 */
public final class ReadThroughCache<K, V> {

  private record Entry<V>(V value, long loadedAt) {
  }

  private final Cache<K, Entry<V>> entries;
  private final Map<K, Future<V>> reading = new ConcurrentHashMap<>();
  private final long ttlMs;
  private final long staleMs;
  private final Outages outages;
  private final Clock clock;

  public ReadThroughCache(Duration ttl, Duration staleFor, int maxEntries, Outages outages, Clock clock) {
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(staleFor).build();
    this.ttlMs = ttl.toMillis();
    this.staleMs = staleFor.toMillis();
    this.outages = outages;
    this.clock = clock;
  }

  /** The cached value of {@code key} while fresh; else {@code read}'s, kept; else, on an outage, the stale one. */
  public Future<V> get(K key, Supplier<Future<V>> read) {
    Entry<V> entry = entries.getIfPresent(key);
    long now = clock.millis();
    if (entry != null && now - entry.loadedAt() < ttlMs) {
      return Future.succeededFuture(entry.value());
    }
    return onCallersContext(sharedRead(key, read, now))
      .recover(e -> entry != null && now - entry.loadedAt() < staleMs && outages.of(e).isPresent()
        ? Future.succeededFuture(entry.value()) : Future.failedFuture(e));
  }

  /** Forgets {@code key}; a read of it already in flight is not kept (it may predate the change). */
  public void invalidate(K key) {
    reading.remove(key);
    entries.invalidate(key);
  }

  /** The read of {@code key} in flight, or a new one; its value is kept once it succeeds. */
  private Future<V> sharedRead(K key, Supplier<Future<V>> read, long now) {
    Promise<V> mine = Promise.promise();
    Future<V> inFlight = reading.putIfAbsent(key, mine.future());
    if (inFlight != null) {
      return inFlight;
    }
    read.get().onComplete(done -> {
      boolean stillCurrent = reading.remove(key, mine.future());
      if (done.succeeded() && stillCurrent) {
        entries.put(key, new Entry<>(done.result(), now));
      }
      mine.handle(done);
    });
    return mine.future();
  }

  /** A shared read completes on the context of whoever started it; every caller continues on its own. */
  private static <T> Future<T> onCallersContext(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<T> mine = Promise.promise();
    shared.onComplete(done -> caller.runOnContext(v -> mine.handle(done)));
    return mine.future();
  }
}
