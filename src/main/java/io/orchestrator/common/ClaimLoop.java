package io.orchestrator.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop a worker and a scheduler configure: runs a claim pass, never two at once (a request during a pass
 * runs another right after it), then sleeps until the earliest due work the store knows of (minus a lookahead), a
 * wake-up signal, or a fallback poll. A pass that meets a store outage is run again as soon as the stores answer;
 * any other failure is logged and retried at the fallback poll. Not thread-safe: use it from the owning verticle's
 * context, except {@link #wakeAt}, which any thread may call.
 */
public final class ClaimLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);
  static final long FALLBACK_POLL_MS = 1_000;
  private static final long DRAIN_CHECK_MS = 20;

  /** What a pass asks for next. */
  public enum Next {
    /** More may be due now: claim again at once. */
    AGAIN,
    /** Nothing more is due: sleep until the earliest due time. */
    SLEEP,
    /** Nothing can be taken now (no free slot): wait for {@link #claimNow()} or a wake-up. */
    WAIT
  }

  /**
   * @param what      named in log lines ("runs", "schedules")
   * @param pass      one claim pass
   * @param nextDue   the earliest due time (epoch ms) the store knows of, if any
   * @param lookahead how long before a due time the loop wakes up
   * @param outages   tells store outages from other failures
   * @param whenUp    completes once the stores answer again
   */
  public ClaimLoop(String what, Supplier<Future<Next>> pass, Supplier<Future<Optional<Long>>> nextDue,
                   Duration lookahead, Outages outages, Supplier<Future<Void>> whenUp, Clock clock) {
    this.what = what;
    this.pass = pass;
    this.nextDue = nextDue;
    this.lookaheadMs = lookahead.toMillis();
    this.outages = outages;
    this.whenUp = whenUp;
    this.clock = clock;
  }

  private final String what;
  private final Supplier<Future<Next>> pass;
  private final Supplier<Future<Optional<Long>>> nextDue;
  private final long lookaheadMs;
  private final Outages outages;
  private final Supplier<Future<Void>> whenUp;
  private final Clock clock;
  private Vertx vertx;
  private Context context;
  private EarliestWakeUp wakeUp;
  private boolean claiming;
  private boolean claimAgain;
  private boolean stopped;

  /** Starts on the caller's (the verticle's) context with a first pass. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.wakeUp = new EarliestWakeUp(vertx, clock, this::claimNow);
    claimNow();
  }

  /** Starts as {@link #start(Vertx)} and wakes at every due time {@code signals} announces (a wake signal). */
  public void start(Vertx vertx, Consumer<LongConsumer> signals) {
    start(vertx);
    signals.accept(this::wakeAt);
  }

  /** Wakes the loop at {@code dueMillis} minus the lookahead (now, if that has passed); callable from any thread. */
  public void wakeAt(long dueMillis) {
    context.runOnContext(v -> wakeUp.at(dueMillis - lookaheadMs));
  }

  /** Runs a pass now, or right after the one in flight. */
  public void claimNow() {
    if (stopped) {
      return;
    }
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = true;
    pass.get().onComplete(done -> {
      claiming = false;
      if (done.failed()) {
        retryAfter(done.cause());
      } else if (done.result() == Next.AGAIN || claimAgain) {
        claimAgain = false;
        context.runOnContext(v -> claimNow());
      } else if (done.result() == Next.SLEEP) {
        sleep();
      }
    });
  }

  /** Claims nothing more; then waits (at most {@code grace}) until {@code idle} holds and no pass is in flight. */
  public Future<Void> stop(BooleanSupplier idle, Duration grace) {
    stopped = true;
    wakeUp.cancel();
    return drain(idle, clock.millis() + grace.toMillis());
  }

  private Future<Void> drain(BooleanSupplier idle, long deadline) {
    if ((idle.getAsBoolean() && !claiming) || clock.millis() > deadline) {
      return Future.succeededFuture();
    }
    return vertx.timer(DRAIN_CHECK_MS).compose(v -> drain(idle, deadline));
  }

  private void retryAfter(Throwable failure) {
    if (outages.of(failure).isPresent()) {
      whenUp.get().onSuccess(v -> claimNow());
    } else {
      LOG.warn("claiming {} failed: {}", what, failure.getMessage());
      wakeUp.at(clock.millis() + FALLBACK_POLL_MS);
    }
  }

  /** Sleeps until the lookahead before the earliest due time (or the fallback poll), whichever comes first. */
  private void sleep() {
    wakeUp.at(clock.millis() + FALLBACK_POLL_MS);
    nextDue.get().onSuccess(next -> next.ifPresent(due -> wakeUp.at(due - lookaheadMs)));
  }
}
