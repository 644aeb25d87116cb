package io.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One fire of a {@link Schedule}: the instant the scheduler starts a run, and, for a cron fire whose wall-clock time
 * met a DST transition, which rule placed it.
 *
 * @param at   the fire instant
 * @param note empty for a wall-clock time that exists once, and for every interval or once fire
 */
public record Fire(Instant at, Optional<DstNote> note) {

  public Fire {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(note, "note");
  }

  /** A fire no DST rule moved. */
  static Fire unmoved(Instant at) {
    return new Fire(at, Optional.empty());
  }
}
