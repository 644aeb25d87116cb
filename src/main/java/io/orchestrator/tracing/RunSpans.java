package io.orchestrator.tracing;

/** The span of a whole run and the attribute names every span of a run carries. */
public final class RunSpans {

  public static final String RUN_ID = "orchestrator.run.id";
  public static final String ORCHESTRATION_ID = "orchestrator.orchestration.id";
  public static final String STEP_ID = "orchestrator.step.id";
  public static final String ATTEMPT = "orchestrator.attempt";
  /** How the run, step or attempt ended: a run status, a step outcome, {@code completed} or a failure code. */
  public static final String OUTCOME = "orchestrator.outcome";

  private RunSpans() {
  }

  /**
   * The run's span, made whole when it finishes (from its start, whichever instance that was on, to {@code endMs}):
   * no instance holds a run's span open. Its id is derived from the run id, so the step spans of every instance name
   * it as their parent; its parent is the span of the caller that started the run, if any.
   */
  public static void finished(Spans spans, RunTrace trace, String orchestrationId, int version, String workspace,
                              String status, long startMs, long endMs) {
    if (!spans.enabled()) {
      return;
    }
    spans.start("run", Spans.Kind.INTERNAL, trace, trace.runSpanId(), null, startMs)
      .set(RUN_ID, trace.runId()).set(ORCHESTRATION_ID, orchestrationId)
      .set("orchestrator.orchestration.version", version).set("orchestrator.workspace", workspace)
      .set(OUTCOME, status).end(endMs);
  }
}
