package io.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadThroughCacheTest {

  private static final StoreUnavailableException OUTAGE = new StoreUnavailableException("PostgreSQL", "refused");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
  private final Outages outages = e -> e == OUTAGE ? Optional.of(OUTAGE) : Optional.empty();
  private final ReadThroughCache<String, String> cache = new ReadThroughCache<>(Duration.ofSeconds(1),
    Duration.ofHours(24), 100, outages, clock);
  private final List<Promise<String>> reads = new ArrayList<>();
  private final Supplier<Future<String>> read = () -> {
    Promise<String> promise = Promise.promise();
    reads.add(promise);
    return promise.future();
  };

  @Test
  @DisplayName("a value is read once and served from memory for its time to live, then read again")
  void timeToLive() {
    Future<String> first = cache.get("k", read);
    reads.get(0).complete("v1");
    clock.advance(Duration.ofMillis(999));
    Future<String> cached = cache.get("k", read);
    clock.advance(Duration.ofMillis(1));
    Future<String> expired = cache.get("k", read);

    assertThat(first.result()).isEqualTo("v1");
    assertThat(cached.result()).isEqualTo("v1");
    assertThat(reads).hasSize(2);
    assertThat(expired.isComplete()).isFalse();
  }

  @Test
  @DisplayName("callers asking while a read is in flight share that one read")
  void oneReadPerKey() {
    Future<String> a = cache.get("k", read);
    Future<String> b = cache.get("k", read);
    Future<String> other = cache.get("other", read);
    reads.get(0).complete("v");

    assertThat(reads).hasSize(2);
    assertThat(a.result()).isEqualTo("v");
    assertThat(b.result()).isEqualTo("v");
    assertThat(other.isComplete()).isFalse();
  }

  @Test
  @DisplayName("a read that meets a store outage serves the last value; another failure is the caller's")
  void staleOnOutageOnly() {
    cache.get("k", read);
    reads.get(0).complete("last");
    clock.advance(Duration.ofMinutes(5));
    Future<String> duringOutage = cache.get("k", read);
    reads.get(1).fail(OUTAGE);
    clock.advance(Duration.ofSeconds(2));
    Future<String> onBug = cache.get("k", read);
    reads.get(2).fail(new IllegalStateException("bug"));

    assertThat(duringOutage.result()).isEqualTo("last");
    assertThat(onBug.cause()).hasMessage("bug");
  }

  @Test
  @DisplayName("without a value read before, or one older than the stale window, an outage is the caller's")
  void nothingToFallBackOn() {
    Future<String> never = cache.get("k", read);
    reads.get(0).fail(OUTAGE);
    cache.get("old", read);
    reads.get(1).complete("ancient");
    clock.advance(Duration.ofHours(25));
    Future<String> tooOld = cache.get("old", read);
    reads.get(2).fail(OUTAGE);

    assertThat(never.cause()).isSameAs(OUTAGE);
    assertThat(tooOld.cause()).isSameAs(OUTAGE);
  }

  @Test
  @DisplayName("invalidating a key forgets its value and does not keep a read that was already in flight")
  void invalidate() {
    cache.get("k", read);
    reads.get(0).complete("v1");
    clock.advance(Duration.ofSeconds(2));
    cache.get("k", read);
    cache.invalidate("k");
    reads.get(1).complete("read before the change");
    Future<String> after = cache.get("k", read);
    reads.get(2).complete("v2");

    assertThat(reads).hasSize(3);
    assertThat(after.result()).isEqualTo("v2");
  }
}
