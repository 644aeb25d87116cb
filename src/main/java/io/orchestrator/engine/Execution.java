package io.orchestrator.engine;

import io.orchestrator.runs.Run;
import io.orchestrator.runs.StepRecord;

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

  Execution(Run run) {
    this.runId = run.id();
    this.workspace = run.workspace();
    this.orchestrationId = run.orchestrationId();
    this.orchestrationVersion = run.orchestrationVersion();
    this.fence = run.fence();
    this.scope = new RunScope(run.input(), run.context(), run.stepOutputs());
    this.cursor = run.cursor();
    this.attempt = run.attempt();
    this.stepCount = run.stepCount();
    this.redriveCount = run.redrives().size();
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

  /**
   * {@code <runId>:<stepId>:<execution index>}: the same for every attempt of one step execution. After a redrive
   * the index carries the redrive count ({@code 7r1}), so the step executed again is a new execution for its
   * function, which does not answer with the failure it cached for the earlier one.
   */
  String idempotencyKey(String stepId) {
    return runId + ":" + stepId + ":" + stepCount + (redriveCount == 0 ? "" : "r" + redriveCount);
  }
}
