package io.orchestrator.common;

import java.util.Optional;

/**
 * Tells a store outage apart from a bug: recognises the failures the stores' clients raise when a store is down,
 * restarting, read-only or too slow. Implemented next to the clients ({@code store}); everything else asks it.
 */
@FunctionalInterface
public interface Outages {

  /** The outage {@code failure} (or one of its causes) reports, or empty when it is something else. */
  Optional<StoreUnavailableException> of(Throwable failure);
}
