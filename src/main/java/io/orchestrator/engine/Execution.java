package io.orchestrator.engine;

import io.orchestrator.runs.Run;
import io.orchestrator.runs.StepRecord;
import io.orchestrator.tracing.RunTrace;
import io.vertx.core.json.JsonObject;

/** A run while one worker holds its lease: the fencing token and the engine's cursor, updated after each write. */
final class Execution {

  final String runId;
  final String workspace;
  final String orchestrationId;
  final int orchestrationVersion;
  final long fence;
  final RunScope scope;
  String cursor;
  int attempt;
  int stepCount;
  /** How often the run was redriven: a step executed again after a redrive gets new idempotency keys. */
  final int redriveCount;
  /** The run's trace (null in a simulation) and when it started (epoch ms): its span is made when it finishes. */
  final RunTrace trace;
  final long startedAtMs;
  /** The span of the step being executed (null when spans are not exported): its attempts' parent. */
  String stepSpanId;

  Execution(Run run) {
    this(run.id(), run.workspace(), run.orchestrationId(), run.orchestrationVersion(), run.fence(),
      new RunScope(run.input(), run.context(), run.stepOutputs()), run.cursor(), run.attempt(), run.stepCount(),
      run.redrives().size(), run.trace(), run.startedAt() == null ? 0 : run.startedAt().toEpochMilli());
  }

  private Execution(String runId, String workspace, String orchestrationId, int orchestrationVersion, long fence,
                    RunScope scope, String cursor, int attempt, int stepCount, int redriveCount, RunTrace trace,
                    long startedAtMs) {
    this.runId = runId;
    this.workspace = workspace;
    this.orchestrationId = orchestrationId;
    this.orchestrationVersion = orchestrationVersion;
    this.fence = fence;
    this.scope = scope;
    this.cursor = cursor;
    this.attempt = attempt;
    this.stepCount = stepCount;
    this.redriveCount = redriveCount;
    this.trace = trace;
    this.startedAtMs = startedAtMs;
  }

  /** A run that exists only in memory, as created: at the entry step, attempt 1, nothing executed yet. */
  static Execution simulated(ExecutableOrchestration def, JsonObject input, JsonObject context) {
    return new Execution(null, def.workspace(), def.id(), def.version(), 0,
      new RunScope(input.copy(), context.copy(), new JsonObject()), def.entryStepId(), 1, 0, 0, null, 0);
  }

  /** Mirrors {@code advance} after the store accepted it. */
  void advanced(StepRecord record, String nextStepId) {
    if (record.output() != null) {
      scope.stepOutputs.put(record.stepId(), record.output());
    }
    if (record.context() != null) {
      scope.context = record.context();
    }
    cursor = nextStepId;
    attempt = 1;
    stepCount++;
  }

  /** Mirrors {@code retryStep} after the store accepted it: the cursor step is attempted again. */
  void retried() {
    attempt++;
  }

  /**
   * {@code <runId>:<stepId>:<execution index>}: the same for every attempt of one step execution. After a redrive
   * the index carries the redrive count ({@code 7r1}), so the step executed again is a new execution for its
   * function, which does not answer with the failure it cached for the earlier one.
   */
  String idempotencyKey(String stepId) {
    return runId + ":" + stepId + ":" + stepCount + (redriveCount == 0 ? "" : "r" + redriveCount);
  }
}
