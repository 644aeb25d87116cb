package io.orchestrator.tracing;

import io.orchestrator.common.TraceParent;

/**
 * A run's place in a trace: what its spans and the {@code traceparent} of its function calls and worker tasks are
 * made of.
 *
 * @param runId        the run, whose own span id is derived from it ({@link TraceParent#runSpanId})
 * @param traceId      32 hex digits
 * @param callerSpanId the span of the caller that started the run (its {@code traceparent}'s parent id), or null
 * @param flags        the trace flags passed on
 * @param traceState   the caller's {@code tracestate}, passed on; null when none
 */
public record RunTrace(String runId, String traceId, String callerSpanId, int flags, String traceState) {

  /** The span id of the run's own span. */
  public String runSpanId() {
    return TraceParent.runSpanId(runId);
  }

  /** The {@code traceparent} of a call made as span {@code spanId}. */
  public String traceparent(String spanId) {
    return TraceParent.header(traceId, spanId, flags);
  }
}
