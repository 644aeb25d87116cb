package io.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A single fire at {@code at}; see {@link Schedule#once}. */
record OnceSchedule(Instant at) implements Schedule {

  OnceSchedule {
    Objects.requireNonNull(at, "at");
  }

  @Override
  public Optional<Fire> nextFire(Instant after) {
    Objects.requireNonNull(after, "after");
    return at.isAfter(after) ? Optional.of(Fire.unmoved(at)) : Optional.empty();
  }
}
