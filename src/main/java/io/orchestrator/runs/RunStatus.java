package io.orchestrator.runs;

/**
 * Lifecycle of a run: {@code pending → running → (waiting ↔ running)* → completed | failed}, plus {@code cancelled}
 * from any non-terminal status. {@link #wire()} is the API's and the store's spelling.
 */
public enum RunStatus {
  PENDING("pending"),
  RUNNING("running"),
  WAITING("waiting"),
  COMPLETED("completed"),
  FAILED("failed"),
  CANCELLED("cancelled");

  private final String wire;

  RunStatus(String wire) {
    this.wire = wire;
  }

  /** Whether the run has ended (completed, failed or cancelled): nothing will change it but a redrive. */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** The lower-case name used in JSON bodies, query parameters and Redis. */
  public String wire() {
    return wire;
  }

  /**
   * Parses a wire name.
   *
   * @throws IllegalArgumentException for an unknown name, so callers can answer 400 instead of guessing
   */
  public static RunStatus fromWire(String wire) {
    for (RunStatus status : values()) {
      if (status.wire.equals(wire)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown run status: " + wire);
  }
}
