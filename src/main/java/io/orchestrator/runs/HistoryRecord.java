package io.orchestrator.runs;

import java.time.Instant;

/**
 * A finished run as the history stores it: the columns it is listed by and its history document
 * ({@link RunJson#toHistory}) as JSON text, so a store that holds the run's fields as JSON text can splice them into
 * the document without decoding and encoding them again.
 */
public record HistoryRecord(String id, String workspace, String orchestrationId, RunStatus status, Instant startedAt,
                            Instant completedAt, String correlationId, String document) {

  /** The record of a run held as a {@link Run}. */
  public static HistoryRecord of(Run run) {
    return new HistoryRecord(run.id(), run.workspace(), run.orchestrationId(), run.status(), run.startedAt(),
      run.completedAt(), run.correlationId(), RunJson.toHistory(run).encode());
  }
}
