package io.orchestrator.runs;

import java.time.Instant;

/**
 * Which runs a list (or a bulk action) covers; the fields combine with AND, null meaning "any".
 *
 * @param startedAfter  inclusive, whole milliseconds (runs' startedAt has millisecond precision)
 * @param startedBefore exclusive, whole milliseconds
 */
public record RunFilter(RunStatus status, Instant startedAfter, Instant startedBefore, String correlationId) {

  /** Every run. */
  public static final RunFilter ALL = new RunFilter(null, null, null, null);

  public RunFilter {
    if (startedAfter != null && startedBefore != null && startedAfter.isAfter(startedBefore)) {
      throw new IllegalArgumentException("startedAfter is later than startedBefore");
    }
  }

  /** Runs of one status, or every run when {@code status} is null. */
  public static RunFilter of(RunStatus status) {
    return new RunFilter(status, null, null, null);
  }

  /** Whether the filter limits the start time. */
  public boolean hasTimeRange() {
    return startedAfter != null || startedBefore != null;
  }

  /** Whether {@code run} is one of the runs the filter covers. */
  public boolean matches(Run run) {
    return (status == null || run.status() == status)
      && (correlationId == null || correlationId.equals(run.correlationId()))
      && (startedAfter == null || !run.startedAt().isBefore(startedAfter))
      && (startedBefore == null || run.startedAt().isBefore(startedBefore));
  }

  /** The inclusive lower bound in epoch ms, {@link Long#MIN_VALUE} when none. */
  public long fromMillis() {
    return startedAfter == null ? Long.MIN_VALUE : startedAfter.toEpochMilli();
  }

  /** The exclusive upper bound in epoch ms, {@link Long#MAX_VALUE} when none. */
  public long untilMillis() {
    return startedBefore == null ? Long.MAX_VALUE : startedBefore.toEpochMilli();
  }
}
