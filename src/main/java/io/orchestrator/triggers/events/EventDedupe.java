package io.orchestrator.triggers.events;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Remembers, per workspace and event id, which runs an event's first delivery started, for
 * {@link #TTL_HOURS} hours: a repeated delivery answers with those runs and starts nothing.
 */
public interface EventDedupe {

  int TTL_HOURS = 24;

  /** The runs recorded for this event id, or empty when it was not seen within the TTL. */
  Future<Optional<List<EventRun>>> find(String workspace, String eventId);

  /**
   * Records {@code runs} for the event id unless a record exists already (set-if-absent, expiring after the TTL).
   *
   * @return empty when this call recorded {@code runs}; else the runs recorded earlier, which win
   */
  Future<Optional<List<EventRun>>> remember(String workspace, String eventId, List<EventRun> runs);
}
