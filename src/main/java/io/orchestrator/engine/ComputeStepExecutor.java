package io.orchestrator.engine;

import io.orchestrator.definitions.ComputeStep;
import io.orchestrator.definitions.RetryPolicy;
import io.orchestrator.functions.FunctionCall;
import io.orchestrator.functions.FunctionDef;
import io.orchestrator.functions.FunctionInvoker;
import io.orchestrator.functions.FunctionLookup;
import io.orchestrator.functions.InvocationResult;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.orchestrator.common.Ids;
import io.orchestrator.common.TraceParent;
import io.orchestrator.tasks.NewTask;
import io.orchestrator.tasks.TaskResolution;
import io.orchestrator.tasks.TaskResult;
import io.orchestrator.tracing.RunSpans;
import io.orchestrator.tracing.Spans;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs one attempt of a compute step: calls the step's function and turns its answer into the step's outcome,
 * applying the {@code $context} rule and the step's retry policy.
 */
public final class ComputeStepExecutor {

  static final String CONTEXT_KEY = "$context";

  private final FunctionLookup functions;
  private final FunctionInvoker httpInvoker;
  private final Ids ids;
  private final Clock clock;
  private final Spans spans;

  public ComputeStepExecutor(FunctionLookup functions, FunctionInvoker httpInvoker, Ids ids, Clock clock) {
    this(functions, httpInvoker, ids, clock, Spans.NONE);
  }

  public ComputeStepExecutor(FunctionLookup functions, FunctionInvoker httpInvoker, Ids ids, Clock clock,
                             Spans spans) {
    this.functions = functions;
    this.httpInvoker = httpInvoker;
    this.ids = ids;
    this.clock = clock;
    this.spans = spans;
  }

  Future<StepOutcome> execute(ComputeStep step, Execution ex) {
    return functions.find(ex.workspace, step.functionId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(failed(step, ex, new InvocationResult.Failure("function_not_found",
          "function '" + step.functionId() + "' does not exist in this workspace")));
      }
      FunctionDef function = found.get();
      long timeout = function.timeoutMs() == null ? step.timeoutMs() : Math.min(step.timeoutMs(), function.timeoutMs());
      if (function.isWorker()) {
        return Future.succeededFuture(task(step, ex, function, timeout));
      }
      // every attempt is a span of its own, whose id the function receives as the parent of its work
      String spanId = TraceParent.newSpanId();
      Spans.Span span = attemptSpan("attempt ", Spans.Kind.CLIENT, step, ex, spanId).set("url.full", function.url());
      FunctionCall call = new FunctionCall(function, payload(step, ex), ex.idempotencyKey(step.id()), timeout,
        ex.trace.traceparent(spanId), ex.trace.traceState());
      return httpInvoker.invoke(call).map(result -> {
        span.set(RunSpans.OUTCOME, result instanceof InvocationResult.Failure failure ? failure.code() : "completed")
          .end();
        return attempted(step, ex, result);
      });
    });
  }

  private Spans.Span attemptSpan(String namePrefix, Spans.Kind kind, ComputeStep step, Execution ex, String spanId) {
    if (!spans.enabled()) {
      return Spans.NoSpan.INSTANCE;
    }
    return spans.start(namePrefix + step.id(), kind, ex.trace, spanId, ex.stepSpanId, 0).set(RunSpans.RUN_ID, ex.runId)
      .set(RunSpans.ORCHESTRATION_ID, ex.orchestrationId).set(RunSpans.STEP_ID, step.id())
      .set(RunSpans.ATTEMPT, ex.attempt);
  }

  /** The task a "worker" function's step puts on its queue; {@code timeoutMs} counts from now, queue time included. */
  private StepOutcome task(ComputeStep step, Execution ex, FunctionDef function, long timeoutMs) {
    String spanId = TraceParent.newSpanId();
    JsonObject payload = new JsonObject().put("input", ex.scope.input).put("context", ex.scope.context)
      .put("steps", ex.scope.stepsView()).put("traceparent", ex.trace.traceparent(spanId));
    if (ex.trace.traceState() != null) {
      payload.put("tracestate", ex.trace.traceState());
    }
    // the hand-over is the attempt's span (a producer's): the worker's own span is its child
    attemptSpan("task ", Spans.Kind.PRODUCER, step, ex, spanId).set("orchestrator.queue", function.queue())
      .set(RunSpans.OUTCOME, "task_queued").end();
    return new StepOutcome.AwaitTask(new NewTask(ids.task(ex.runId), ex.runId, ex.orchestrationId, ex.orchestrationVersion,
      ex.workspace, function.queue(), function.id(), step.id(), ex.attempt, payload,
      Instant.ofEpochMilli(clock.millis() + timeoutMs)));
  }

  /** The outcome of a step whose task a worker reported, or whose deadline passed. */
  static StepOutcome fromTask(ComputeStep step, Execution ex, TaskResolution resolution) {
    if (resolution instanceof TaskResolution.Reported reported) {
      TaskResult result = reported.result();
      if (result.completed()) {
        return succeeded(step, ex, result.output());
      }
      InvocationResult.Failure failure = new InvocationResult.Failure("worker_failed", result.message());
      return result.retryable() ? failed(step, ex, failure)
        : failRun(step, new StepError(step.id(), failure.code(), failure.message(), ex.attempt));
    }
    return failed(step, ex, new InvocationResult.Failure("timeout",
      "no worker reported within the step's timeoutMs"));
  }

  /**
   * The outcome of one attempt whose function answered {@code result}: the output applied (the {@code $context}
   * rule), or the failure under the step's retry policy. Simulations apply their mocks through here.
   */
  static StepOutcome attempted(ComputeStep step, Execution ex, InvocationResult result) {
    return result instanceof InvocationResult.Success success ? succeeded(step, ex, success.output())
      : failed(step, ex, (InvocationResult.Failure) result);
  }

  private static JsonObject payload(ComputeStep step, Execution ex) {
    return new JsonObject().put("runId", ex.runId).put("orchestrationId", ex.orchestrationId)
      .put("orchestrationVersion", ex.orchestrationVersion).put("workspaceSlug", ex.workspace)
      .put("stepId", step.id()).put("attempt", ex.attempt).put("input", ex.scope.input)
      .put("context", ex.scope.context).put("steps", ex.scope.stepsView());
  }

  /**
   * A top-level {@code $context} object is merged into the run context and left out of the stored output; a
   * {@code $context} that is not an object is an ordinary field of the output.
   */
  static StepOutcome succeeded(ComputeStep step, Execution ex, Object output) {
    Object stored = output == null ? new JsonObject() : output;
    JsonObject context = null;
    if (stored instanceof JsonObject object && object.getValue(CONTEXT_KEY) instanceof JsonObject patch) {
      JsonObject copy = object.copy();
      copy.remove(CONTEXT_KEY);
      context = ex.scope.context.copy().mergeIn(patch);
      stored = copy;
    }
    return new StepOutcome.Continue(new StepRecord(step.id(), stored, context), step.nextStepId());
  }

  static StepOutcome failed(ComputeStep step, Execution ex, InvocationResult.Failure failure) {
    StepError error = new StepError(step.id(), failure.code(), failure.message(), ex.attempt);
    RetryPolicy retry = step.retry();
    if (retry != null && ex.attempt < retry.maxAttempts()) {
      return new StepOutcome.Retry(error, Duration.ofMillis(retry.delayBefore(ex.attempt + 1)));
    }
    return failRun(step, error);
  }

  /** The run fails on this step, which is listed in executedSteps like any step that ran (it has no output). */
  static StepOutcome failRun(ComputeStep step, StepError error) {
    return new StepOutcome.Fail(new StepRecord(step.id(), null, null), error);
  }
}
