package io.orchestrator.triggers.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Consumes the shared event stream on this instance (see {@link EventConsumer}). */
public final class EventStreamVerticle extends VerticleBase {

  private final EventStream stream;
  private final EventService events;
  private final EventConsumer.Settings settings;
  private EventConsumer consumer;

  public EventStreamVerticle(EventStream stream, EventService events, EventConsumer.Settings settings) {
    this.stream = stream;
    this.events = events;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    consumer = new EventConsumer(vertx, stream, events, settings);
    return consumer.start();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? stream.close() : consumer.stop();
  }
}
