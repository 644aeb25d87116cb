package io.orchestrator.availability;

import io.orchestrator.common.Outages;
import io.orchestrator.common.StoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance knows of its stores' health, shared by the HTTP layer, the engine and start-up.
 *
 * <ul>
 *   <li>{@link #whenUp()}: a future that completes once every store answers a ping. One probe loop serves every
 *       waiter (pings every {@value #PROBE_MIN_MS}-{@value #PROBE_MAX_MS} ms), so a thousand runs paused by an
 *       outage cost one ping per period, and resume within a probe period of the store's return.</li>
 *   <li>{@link #of(Throwable)}: whether a failure means a store outage (then 503 and a retry on recovery) and
 *       notes it, so the log gets one line when a store goes down and one when it is back, not one per request or
 *       attempt.</li>
 *   <li>{@link #check()}: pings every store now, for {@code /health/ready}.</li>
 * </ul>
 */
public final class StoreAvailability implements Outages {

  private static final Logger LOG = LoggerFactory.getLogger(StoreAvailability.class);
  static final long PROBE_MIN_MS = 100;
  static final long PROBE_MAX_MS = 200;

  private enum State { UNKNOWN, UP, DOWN }

  private final Vertx vertx;
  private final Map<String, Supplier<Future<Void>>> pings;
  private final Outages outages;
  private final long timeoutMs;
  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Map<String, Long> downSince = new ConcurrentHashMap<>();
  private Future<Void> probe;
  private volatile boolean started;

  /** @param pings by store name ("PostgreSQL", "Redis"): a cheap round trip that fails when the store cannot serve */
  public StoreAvailability(Vertx vertx, Map<String, Supplier<Future<Void>>> pings, Outages outages,
                           Duration timeout, Clock clock) {
    this.vertx = vertx;
    this.pings = new LinkedHashMap<>(pings);
    this.outages = outages;
    this.timeoutMs = timeout.toMillis();
    this.clock = clock;
    pings.keySet().forEach(store -> states.put(store, State.UNKNOWN));
  }

  /** Pings every store now (bounded by the timeout); by store name, true when it answered. */
  public Future<Map<String, Boolean>> check() {
    Map<String, Future<Void>> answers = new LinkedHashMap<>();
    pings.forEach((store, ping) -> answers.put(store, pingOne(store, ping)));
    return Future.join(List.copyOf(answers.values())).transform(done -> {
      Map<String, Boolean> up = new LinkedHashMap<>();
      answers.forEach((store, answer) -> up.put(store, answer.succeeded()));
      return Future.succeededFuture(up);
    });
  }

  /**
   * Completes on the caller's context once every store answers a ping (at once when they do now); never fails.
   */
  public Future<Void> whenUp() {
    Context caller = vertx.getOrCreateContext();
    Promise<Void> mine = Promise.promise();
    sharedProbe().onComplete(done -> caller.runOnContext(v -> mine.complete()));
    return mine.future();
  }

  /** The outage {@code failure} reports, noted (and logged once per state change); empty when it is not one. */
  @Override
  public Optional<StoreUnavailableException> of(Throwable failure) {
    Optional<StoreUnavailableException> outage = outages.of(failure);
    outage.ifPresent(e -> markDown(e.store(), e.reason()));
    return outage;
  }

  /** Start-up finished (migrations, scripts, engine deployed): requests may be served. */
  public void markStarted() {
    started = true;
  }

  public boolean started() {
    return started;
  }

  private synchronized Future<Void> sharedProbe() {
    if (probe == null) {
      Promise<Void> recovered = Promise.promise();
      probe = recovered.future();
      probeUntilUp(recovered, PROBE_MIN_MS);
    }
    return probe;
  }

  private void probeUntilUp(Promise<Void> recovered, long backoffMs) {
    check().onSuccess(up -> {
      if (!up.containsValue(false)) {
        synchronized (this) {
          probe = null;
        }
        recovered.complete();
      } else {
        vertx.setTimer(backoffMs, id -> probeUntilUp(recovered, Math.min(PROBE_MAX_MS, backoffMs * 2)));
      }
    });
  }

  private Future<Void> pingOne(String store, Supplier<Future<Void>> ping) {
    Future<Void> answer;
    try {
      answer = ping.get().timeout(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.onSuccess(v -> markUp(store)).onFailure(e -> markDown(store, reason(e)));
  }

  private void markUp(String store) {
    State before = states.put(store, State.UP);
    Long since = downSince.remove(store);
    if (before == State.DOWN && since != null) {
      LOG.info("{} answers again (unavailable for {} ms)", store, clock.millis() - since);
    } else if (before == State.UNKNOWN) {
      LOG.info("{} answers", store);
    }
  }

  private void markDown(String store, String reason) {
    State before = states.put(store, State.DOWN);
    if (before == State.DOWN) {
      return;
    }
    downSince.put(store, clock.millis());
    // probe until it is back, so its return is noticed (and logged) even when nothing waits for it
    sharedProbe();
    if (before == State.UNKNOWN) {
      LOG.warn("{} does not answer yet ({}); retrying with backoff, /health/ready answers 503 until it does",
        store, reason);
    } else {
      LOG.warn("{} unavailable ({}); requests that need it answer 503 and the engine resumes when it is back",
        store, reason);
    }
  }

  private String reason(Throwable e) {
    return outages.of(e).map(StoreUnavailableException::reason)
      .orElse(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }
}
