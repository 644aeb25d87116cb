package io.orchestrator.store.redis;

import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WakeSignal} over Redis pub/sub. Local listeners hear every signal at once; other instances hear it through
 * the channel. Signals for "now" are coalesced to at most one publish per {@link #COALESCE_MS} (a trailing publish
 * closes each window, so no signal is lost), keeping the trigger hot path to one extra command per window. A future
 * due time is published only when it is earlier than the earliest one this instance published that has not passed
 * yet: every listening loop wakes by then anyway and re-reads the earliest due time from Redis, so a stream of parks
 * with later and later due times costs one publish, not one each.
 */
public final class RedisWakeSignal implements WakeSignal {

  private static final Logger LOG = LoggerFactory.getLogger(RedisWakeSignal.class);
  static final long COALESCE_MS = 2;

  private final Vertx vertx;
  private final Clock clock;
  private final Redis publisher;
  private final String channel;
  private final RedisSubscription subscription;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong lastImmediate = new AtomicLong();
  private final AtomicBoolean trailingScheduled = new AtomicBoolean();
  /** The earliest future due time published by this instance; once it has passed, none is pending. */
  private final AtomicLong earliestPublished = new AtomicLong();

  public RedisWakeSignal(Vertx vertx, Redis publisher, Redis subscriberClient, RedisKeys keys, Clock clock) {
    this(vertx, publisher, subscriberClient, keys.wakeChannel(), clock);
  }

  /** A signal on another channel, e.g. {@link RedisKeys#scheduleWakeChannel()} for the schedulers. */
  public RedisWakeSignal(Vertx vertx, Redis publisher, Redis subscriberClient, String channel, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.publisher = publisher;
    this.channel = channel;
    this.subscription = new RedisSubscription(vertx, subscriberClient, channel, this::onMessage);
  }

  /** Starts hearing other instances' signals. */
  public void subscribe() {
    subscription.start();
  }

  public void close() {
    subscription.close();
  }

  @Override
  public void runDue(long dueAtMillis) {
    listeners.forEach(listener -> listener.accept(dueAtMillis));
    long now = clock.millis();
    if (dueAtMillis > now) {
      if (!announcedBy(dueAtMillis, now)) {
        publish(dueAtMillis);
      }
      return;
    }
    long last = lastImmediate.get();
    if (now - last >= COALESCE_MS && lastImmediate.compareAndSet(last, now)) {
      publish(now);
    } else if (trailingScheduled.compareAndSet(false, true)) {
      vertx.setTimer(COALESCE_MS, id -> {
        trailingScheduled.set(false);
        long fired = clock.millis();
        lastImmediate.set(fired);
        publish(fired);
      });
    }
  }

  /** True when a published, still future due time comes no later than {@code due}; else records {@code due}. */
  private boolean announcedBy(long due, long now) {
    while (true) {
      long earliest = earliestPublished.get();
      if (earliest > now && earliest <= due) {
        return true;
      }
      if (earliestPublished.compareAndSet(earliest, due)) {
        return false;
      }
    }
  }

  @Override
  public void onRunDue(LongConsumer listener) {
    listeners.add(listener);
  }

  private void publish(long due) {
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(due))
      .onFailure(e -> LOG.debug("wake signal not published: {}", e.getMessage()));
  }

  private void onMessage(String payload) {
    try {
      long due = Long.parseLong(payload);
      listeners.forEach(listener -> listener.accept(due));
    } catch (NumberFormatException e) {
      LOG.debug("ignoring malformed wake signal");
    }
  }
}
