package io.orchestrator.runs;

import io.orchestrator.common.TraceParent;
import io.orchestrator.tracing.RunTrace;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A run as the store holds it: every field of the API's Get Run Details plus the engine's bookkeeping.
 *
 * @param currentStepId  the step being executed ({@code running}) or waited on ({@code waiting}); null while pending
 *                       and once terminal
 * @param stepOutputs    step id → latest output of that step, in order of first execution
 * @param executedSteps  step ids in execution order, repeated for loops; a step that failed the run is the last
 * @param completedAt    null until terminal
 * @param errors         {@code {stepId, code, message, attempt, at}} for every failed attempt, retried ones included;
 *                       {@code hasErrors} is true exactly when it holds an entry
 * @param correlationId  null when none was given
 * @param cursor         internal: the step to execute next; null when the run has no further step (it completes)
 * @param attempt        internal: attempt number of the cursor step, from 1
 * @param stepCount      internal: steps executed so far (the {@code ORCH_MAX_STEPS_PER_RUN} check)
 * @param fence          internal: fencing token, changes on every claim and lease loss; pass it to every write
 * @param awaitingTask   internal: the worker task the cursor step waits for (runtime "worker"), null when none
 * @param dueAt          internal: when the run last fell due (a delay, a backoff, a delayed start, a lease taken
 *                       back; epoch ms), 0 when claimed as created; for the wake-up lateness metric
 * @param replayOf       the run this one replays (triggerType {@code replay}), null otherwise
 * @param redrives       {@code {at, fromStepId, by}} for every redrive, oldest first; empty until redriven
 * @param resumeStepId   internal: for a cancelled run, the step that was current when it was cancelled (where a
 *                       redrive starts); null otherwise
 * @param seq            the run's event sequence: grows with every visible change (status, step started or
 *                       finished, wake-up); the {@code id:} of its live-progress events
 * @param stepAt         internal: when the current step began (epoch ms; a delay's wait, a compute step's first
 *                       attempt), 0 before the first claim
 * @param timeline       one {@code [stepId, startedAt ms, completedAt ms, outcome]} per finished step execution, in
 *                       order (outcome c completed, f failed, w waited, x cancelled); see {@link RunTimeline}
 * @param traceParent    the W3C {@code traceparent} the run was started with (its trace id, the caller's span, the
 *                       flags); null when the run started its own trace (see {@link #traceId()})
 * @param traceState     the W3C {@code tracestate} it was started with, passed on to its functions; null when none
 */
public record Run(
  String id,
  String workspace,
  String orchestrationId,
  int orchestrationVersion,
  RunStatus status,
  String triggerType,
  JsonObject triggerMetadata,
  JsonObject input,
  JsonObject context,
  JsonObject stepOutputs,
  String currentStepId,
  JsonArray executedSteps,
  Instant startedAt,
  Instant completedAt,
  boolean hasErrors,
  JsonArray errors,
  int delayStepCount,
  String correlationId,
  String cursor,
  int attempt,
  int stepCount,
  long fence,
  String awaitingTask,
  long dueAt,
  String replayOf,
  JsonArray redrives,
  String resumeStepId,
  long seq,
  long stepAt,
  JsonArray timeline,
  TraceParent traceParent,
  String traceState) {

  /** A run started without trace context. */
  public Run(String id, String workspace, String orchestrationId, int orchestrationVersion, RunStatus status,
             String triggerType, JsonObject triggerMetadata, JsonObject input, JsonObject context,
             JsonObject stepOutputs, String currentStepId, JsonArray executedSteps, Instant startedAt,
             Instant completedAt, boolean hasErrors, JsonArray errors, int delayStepCount, String correlationId,
             String cursor, int attempt, int stepCount, long fence, String awaitingTask, long dueAt, String replayOf,
             JsonArray redrives, String resumeStepId, long seq, long stepAt, JsonArray timeline) {
    this(id, workspace, orchestrationId, orchestrationVersion, status, triggerType, triggerMetadata, input, context,
      stepOutputs, currentStepId, executedSteps, startedAt, completedAt, hasErrors, errors, delayStepCount,
      correlationId, cursor, attempt, stepCount, fence, awaitingTask, dueAt, replayOf, redrives, resumeStepId, seq,
      stepAt, timeline, null, null);
  }

  /** The run as {@link RunRecords#create} stored it: pending, nothing executed yet. */
  public static Run pending(NewRun run, Instant startedAt) {
    return new Run(run.id(), run.workspace(), run.orchestrationId(), run.orchestrationVersion(), RunStatus.PENDING,
      run.triggerType(), run.triggerMetadata(), run.input(), run.context(), new JsonObject(), null, new JsonArray(),
      startedAt, null, false, new JsonArray(), 0, run.correlationId(), run.entryStepId(), 1, 0, 0, null, 0,
      run.replayOf(), new JsonArray(), null, 1, 0, new JsonArray(), run.traceParent(), run.traceState());
  }

  /** The fencing token of a run's first claim. */
  public static final long FIRST_FENCE = 1;

  /**
   * The run as {@link RunRecords#createClaimed} left it when it claimed it: running at its entry step, fencing token
   * {@link #FIRST_FENCE}, its event sequence at 2 (created, claimed), its first step's clock started.
   */
  public static Run claimedAtCreation(NewRun run, Instant startedAt) {
    return new Run(run.id(), run.workspace(), run.orchestrationId(), run.orchestrationVersion(), RunStatus.RUNNING,
      run.triggerType(), run.triggerMetadata(), run.input(), run.context(), new JsonObject(), run.entryStepId(),
      new JsonArray(), startedAt, null, false, new JsonArray(), 0, run.correlationId(), run.entryStepId(), 1, 0,
      FIRST_FENCE, null, 0, run.replayOf(), new JsonArray(), null, 2, startedAt.toEpochMilli(), new JsonArray(),
      run.traceParent(), run.traceState());
  }

  /**
   * The run's W3C trace id: the one of the {@code traceparent} it was started with, else one derived from its id
   * (a new trace per run that needs no storage, and that a redrive keeps).
   */
  public String traceId() {
    return traceParent != null ? traceParent.traceId() : TraceParent.traceIdOfRun(id);
  }

  /** The run's place in its trace, for its spans and the {@code traceparent} of its calls. */
  public RunTrace trace() {
    return new RunTrace(id, traceId(), traceParent == null ? null : traceParent.parentId(), traceFlags(), traceState);
  }

  /** The trace flags its calls carry: the caller's, else sampled (the functions may record their spans). */
  public int traceFlags() {
    return traceParent != null ? traceParent.flags() : TraceParent.SAMPLED;
  }

  /**
   * The step a redrive of this failed or cancelled run starts from: the step whose error failed it, or the step
   * that was current when it was cancelled.
   *
   * @return empty when the run is neither failed nor cancelled, or nothing says where it stopped
   */
  public Optional<String> redriveStepId() {
    if (status == RunStatus.CANCELLED) {
      return Optional.ofNullable(resumeStepId != null ? resumeStepId : cursor);
    }
    if (status != RunStatus.FAILED || errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(errors.getJsonObject(errors.size() - 1).getString("stepId"));
  }
}
