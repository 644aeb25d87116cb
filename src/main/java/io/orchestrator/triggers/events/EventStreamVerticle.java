package io.orchestrator.triggers.events;

import io.orchestrator.common.Outages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the shared event stream on this instance (see {@link EventConsumer}) and, at start and every minute,
 * trims the entries older than the retention that every consumer group is done with, so the stream does not grow
 * without bound. Trimming is idempotent: every instance may do it.
 */
public final class EventStreamVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EventStreamVerticle.class);
  static final long TRIM_EVERY_MS = 60_000;

  private final EventStream stream;
  private final EventService events;
  private final EventConsumer.Settings settings;
  private final Duration retention;
  private final Outages outages;
  private final Clock clock;
  private EventConsumer consumer;
  private long trimTimer = -1;
  private boolean trimming;

  public EventStreamVerticle(EventStream stream, EventService events, EventConsumer.Settings settings,
                             Duration retention, Outages outages, Clock clock) {
    this.stream = stream;
    this.events = events;
    this.settings = settings;
    this.retention = retention;
    this.outages = outages;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    consumer = new EventConsumer(vertx, stream, events, settings, outages, clock);
    return consumer.start().onSuccess(v -> {
      trim();
      trimTimer = vertx.setPeriodic(TRIM_EVERY_MS, id -> trim());
    });
  }

  private void trim() {
    if (trimming) {
      return;
    }
    trimming = true;
    stream.trim(clock.instant().minus(retention)).onComplete(ar -> {
      trimming = false;
      if (ar.failed()) {
        LOG.warn("event stream trim failed, next try in {} s: {}", TRIM_EVERY_MS / 1000, ar.cause().getMessage());
      } else if (ar.result() > 0) {
        LOG.debug("event stream trimmed: {} entries older than {}", ar.result(), retention);
      }
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(trimTimer);
    return consumer == null ? stream.close() : consumer.stop();
  }
}
