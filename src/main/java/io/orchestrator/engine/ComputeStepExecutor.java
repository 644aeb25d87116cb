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
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Runs one attempt of a compute step: calls the step's function and turns its answer into the step's outcome,
 * applying the {@code $context} rule and the step's retry policy.
 */
final class ComputeStepExecutor {

  static final String CONTEXT_KEY = "$context";

  private final FunctionLookup functions;
  private final FunctionInvoker httpInvoker;

  ComputeStepExecutor(FunctionLookup functions, FunctionInvoker httpInvoker) {
    this.functions = functions;
    this.httpInvoker = httpInvoker;
  }

  Future<StepOutcome> execute(ComputeStep step, Execution ex) {
    return functions.find(ex.workspace, step.functionId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(failed(step, ex, new InvocationResult.Failure("function_not_found",
          "function '" + step.functionId() + "' does not exist in this workspace")));
      }
      FunctionDef function = found.get();
      long timeout = function.timeoutMs() == null ? step.timeoutMs() : Math.min(step.timeoutMs(), function.timeoutMs());
      FunctionCall call = new FunctionCall(function, payload(step, ex), ex.idempotencyKey(step.id()), timeout);
      return httpInvoker.invoke(call).map(result -> result instanceof InvocationResult.Success success
        ? succeeded(step, ex, success.output()) : failed(step, ex, (InvocationResult.Failure) result));
    });
  }

  private static JsonObject payload(ComputeStep step, Execution ex) {
    return new JsonObject().put("runId", ex.runId).put("orchestrationId", ex.orchestrationId)
      .put("orchestrationVersion", ex.orchestrationVersion).put("workspaceSlug", ex.workspace)
      .put("stepId", step.id()).put("attempt", ex.attempt).put("input", ex.scope.input)
      .put("context", ex.scope.context).put("steps", ex.scope.stepsView());
  }

  /** A top-level {@code $context} object is merged into the run context and left out of the stored output. */
  static StepOutcome succeeded(ComputeStep step, Execution ex, Object output) {
    Object stored = output == null ? new JsonObject() : output;
    JsonObject context = null;
    if (stored instanceof JsonObject object && object.containsKey(CONTEXT_KEY)) {
      JsonObject copy = object.copy();
      Object patch = copy.remove(CONTEXT_KEY);
      if (patch instanceof JsonObject patchObject) {
        context = ex.scope.context.copy().mergeIn(patchObject);
      }
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
    return new StepOutcome.Fail(null, error);
  }
}
