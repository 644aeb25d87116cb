package io.orchestrator.runs;

import java.time.Duration;

/**
 * A free slot of one of this instance's workers, for a run about to be created: when the store claims the new run
 * for it as it creates it ({@link RunRecords#createClaimed}), the run goes straight to that worker, without a
 * wake-up signal and a claim round trip. An instance without the worker role has no slot to give.
 */
public interface DirectStarts {

  /** Never a slot: an instance that runs no worker. */
  DirectStarts NONE = () -> null;

  /** Holds a free worker slot for the caller, or returns null when every slot is busy (or none exists). */
  Slot reserve();

  /** A held slot: exactly one of {@link #start} and {@link #cancel} must follow. */
  interface Slot {

    /** The lease the run is created with. */
    Duration lease();

    /** Hands the run the store claimed at its creation to the slot's worker. */
    void start(Run claimed);

    /** Gives the slot back (the run was not claimed, or not created). */
    void cancel();
  }
}
