package io.orchestrator.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A read-through cache of store reads (Caffeine underneath): a value is served from memory for {@code ttl}, then
 * read again. When that read fails on a store outage, the last value read (up to {@code staleFor} old) is served
 * instead, so what was cached keeps working while PostgreSQL is down; any other failure is the caller's.
 */
public final class ReadThroughCache<K, V> {

  private record Entry<V>(V value, long loadedAt) {
  }

  private final Cache<K, Entry<V>> entries;
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
    return read.get()
      .onSuccess(value -> entries.put(key, new Entry<>(value, now)))
      .recover(e -> entry != null && now - entry.loadedAt() < staleMs && outages.of(e).isPresent()
        ? Future.succeededFuture(entry.value()) : Future.failedFuture(e));
  }

  public void invalidate(K key) {
    entries.invalidate(key);
  }
}
