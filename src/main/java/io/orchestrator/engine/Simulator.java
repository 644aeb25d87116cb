package io.orchestrator.engine;

import io.orchestrator.definitions.ComputeStep;
import io.orchestrator.definitions.DecisionStep;
import io.orchestrator.definitions.DelayStep;
import io.orchestrator.definitions.Step;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Runs an orchestration version in memory, start to end, as a worker would run it, with {@link Mocks} answering
 * for the functions: nothing is called, no delay or retry backoff is waited, nothing is stored. Every step goes
 * through the engine's own code (the step limit, {@link DecisionStepExecutor} and its {@link Decider}, the
 * {@code $context} rule and retry policy of {@link ComputeStepExecutor}, {@link Execution}'s mirror of the store's
 * transitions), so a simulation ends as a real run with the same answers would. Only where an answer comes from
 * differs: a compute step with no mock left fails the simulation with {@value #NO_MOCK}, whatever its retry policy.
 * Worker-runtime functions are mocked like http ones (a mocked error is a retryable failure). Pure and thread-safe.
 */
public final class Simulator {

  /** The error code of a compute step whose mocks are missing or used up. */
  public static final String NO_MOCK = "no_mock";

  private final DecisionStepExecutor decisions = new DecisionStepExecutor();
  private final StepLimits limits;
  private final Clock clock;

  /** {@code maxSteps} is the runs' step limit, ORCH_MAX_STEPS_PER_RUN; {@code clock} stamps the errors' {@code at}. */
  public Simulator(Clock clock, int maxSteps) {
    this.clock = clock;
    this.limits = new StepLimits(maxSteps);
  }

  /** Simulates a run of {@code def} started with {@code input} and {@code context}; {@code mocks} are consumed. */
  public Simulation run(ExecutableOrchestration def, JsonObject input, JsonObject context, Mocks mocks) {
    Execution ex = Execution.simulated(def, input, context);
    Trace trace = new Trace();
    while (ex.cursor != null) {
      StepError stop = limits.check(def, ex);
      if (stop != null) {
        return trace.end(RunStatus.FAILED, ex, stop);
      }
      StepOutcome outcome = execute(def.step(ex.cursor), ex, mocks, trace);
      if (outcome instanceof StepOutcome.Continue next) {
        trace.executedSteps.add(next.record().stepId());
        ex.advanced(next.record(), next.nextStepId());
      } else if (outcome instanceof StepOutcome.Park park) {
        trace.executedSteps.add(park.delayStepId());
        trace.delays.add(new JsonObject().put("stepId", park.delayStepId()).put("delayMs", park.delay().toMillis()));
        ex.advanced(new StepRecord(park.delayStepId(), null, null), park.nextStepId());
      } else if (outcome instanceof StepOutcome.Retry retry) {
        trace.errors.add(retry.error().toJson(clock.millis()));
        ex.retried();
      } else if (outcome instanceof StepOutcome.Fail fail) {
        if (fail.record() != null) {
          trace.executedSteps.add(fail.record().stepId());
        }
        return trace.end(RunStatus.FAILED, ex, fail.error());
      } else {
        throw new IllegalStateException("a simulation never hands a step to a worker: " + outcome);
      }
    }
    return trace.end(RunStatus.COMPLETED, ex, null);
  }

  private StepOutcome execute(Step step, Execution ex, Mocks mocks, Trace trace) {
    if (step instanceof DelayStep delay) {
      return DelayStepExecutor.execute(delay);
    }
    if (step instanceof DecisionStep decision) {
      DecisionOutcome decided = decisions.decide(decision, ex);
      trace.decided(decision, decided);
      return DecisionStepExecutor.outcome(decision, decided, ex);
    }
    ComputeStep compute = (ComputeStep) step;
    return mocks.next(compute.id())
      .map(answer -> ComputeStepExecutor.attempted(compute, ex, answer))
      .orElseGet(() -> ComputeStepExecutor.failRun(compute, new StepError(compute.id(), NO_MOCK,
        mocks.missing(compute.id()) + " (attempt " + ex.attempt + ")", ex.attempt)));
  }

  /** What the simulation reports besides the run's scope, in execution order. */
  private final class Trace {

    final JsonArray executedSteps = new JsonArray();
    final JsonArray errors = new JsonArray();
    final JsonArray decisions = new JsonArray();
    final JsonArray delays = new JsonArray();

    void decided(DecisionStep step, DecisionOutcome decided) {
      JsonObject entry = new JsonObject().put("stepId", step.id()).putNull("matchedCase").putNull("nextStepId");
      if (decided instanceof DecisionOutcome.Next next) {
        entry.put("matchedCase", next.viaDefault() ? null : next.caseIndex()).put("nextStepId", next.nextStepId());
      }
      decisions.add(entry);
    }

    Simulation end(RunStatus status, Execution ex, StepError error) {
      if (error != null) {
        errors.add(error.toJson(clock.millis()));
      }
      return new Simulation(status, executedSteps, ex.scope.stepOutputs, ex.scope.context, errors, decisions, delays);
    }
  }
}
