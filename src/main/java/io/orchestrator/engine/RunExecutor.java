package io.orchestrator.engine;

import io.orchestrator.definitions.ComputeStep;
import io.orchestrator.definitions.DecisionStep;
import io.orchestrator.definitions.DelayStep;
import io.orchestrator.definitions.Step;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.runs.RunQueue;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.orchestrator.runs.TransitionResult;
import io.orchestrator.runs.WakeSignal;
import io.orchestrator.tasks.TaskResolution;
import io.orchestrator.tracing.RunSpans;
import io.orchestrator.tracing.Spans;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances one claimed run step by step until it parks (delay, retry backoff), finishes, or loses its lease.
 * Every step ends in one fenced store transition, except decisions, which are written with the step before them
 * (see {@link #carry}); a STALE or NOT_RUNNING answer means another worker owns the run now (or it was cancelled),
 * and this worker lets go without writing anything else.
 */
public final class RunExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);
  /** At most this many steps go into one transition: a run cycling through decisions writes them in slices. */
  static final int MAX_STEPS_PER_TRANSITION = 100;

  private final RunQueue store;
  private final DefinitionCache definitions;
  private final ComputeStepExecutor compute;
  private final TaskHandOff tasks;
  private final LeaseKeeper leases;
  private final DecisionStepExecutor decisions = new DecisionStepExecutor();
  private final WakeSignal wake;
  private final EngineMetrics metrics;
  private final Clock clock;
  private final StepLimits limits;
  private final Spans spans;

  public RunExecutor(RunQueue store, DefinitionCache definitions, ComputeStepExecutor compute, TaskHandOff tasks,
                     LeaseKeeper leases, WakeSignal wake, EngineMetrics metrics, Clock clock, int maxSteps) {
    this(store, definitions, compute, tasks, leases, wake, metrics, clock, maxSteps, Spans.NONE);
  }

  public RunExecutor(RunQueue store, DefinitionCache definitions, ComputeStepExecutor compute, TaskHandOff tasks,
                     LeaseKeeper leases, WakeSignal wake, EngineMetrics metrics, Clock clock, int maxSteps,
                     Spans spans) {
    this.store = store;
    this.definitions = definitions;
    this.compute = compute;
    this.tasks = tasks;
    this.leases = leases;
    this.wake = wake;
    this.metrics = metrics;
    this.clock = clock;
    this.limits = new StepLimits(maxSteps);
    this.spans = spans;
  }

  /** Completes when this worker is done with the run; fails only on infrastructure errors (the lease then expires). */
  public Future<Void> execute(Run run) {
    Execution ex = new Execution(run);
    if (run.dueAt() > 0) {
      metrics.wokeLate(clock.millis() - run.dueAt());
    }
    return definitions.load(run.workspace(), run.orchestrationId(), run.orchestrationVersion())
      .recover(e -> {
        if (!(e instanceof DefinitionCache.MissingVersionException)) {
          return Future.failedFuture(e);
        }
        LOG.error("run {} cannot go on: {}", run.id(), e.getMessage());
        return finish(ex, RunStatus.FAILED, List.of(), new StepError(String.valueOf(run.cursor()), "definition_missing",
          "the orchestration version this run started with is gone", ex.attempt)).mapEmpty();
      })
      .compose(def -> def == null ? Future.succeededFuture()
        : run.awaitingTask() == null ? next(def, ex) : resumeAfterTask(def, ex));
  }

  /** Accounts for a run the store completed as it woke (its last step was a delay, due at {@code dueAt}). */
  void completedOnWake(long dueAt) {
    metrics.wokeLate(clock.millis() - dueAt);
    metrics.runFinished(RunStatus.COMPLETED);
  }

  /** The cursor step waited for a worker task: apply what the worker reported, or the timeout. */
  private Future<Void> resumeAfterTask(ExecutableOrchestration def, Execution ex) {
    return tasks.takeBack(ex.runId, ex.fence).compose(resolution -> {
      if (resolution instanceof TaskResolution.Lost) {
        return letGo(ex, TransitionResult.STALE);
      }
      if (resolution instanceof TaskResolution.NoTask || !(def.step(ex.cursor) instanceof ComputeStep step)) {
        return next(def, ex);
      }
      return traced(step, ex, () -> Future.succeededFuture(ComputeStepExecutor.fromTask(step, ex, resolution)))
        .compose(outcome -> apply(def, ex, outcome));
    });
  }

  private Future<Void> next(ExecutableOrchestration def, Execution ex) {
    if (ex.cursor == null) {
      return finish(ex, RunStatus.COMPLETED, List.of(), null);
    }
    StepError stop = limits.check(def, ex);
    if (stop != null) {
      return finish(ex, RunStatus.FAILED, List.of(), stop);
    }
    return run(def.step(ex.cursor), ex).compose(outcome -> apply(def, ex, outcome));
  }

  private Future<StepOutcome> run(Step step, Execution ex) {
    long started = System.nanoTime();
    return traced(step, ex, () -> executeStep(step, ex))
      .onSuccess(outcome -> metrics.stepExecuted(type(step), System.nanoTime() - started));
  }

  /**
   * {@code execution} inside a span of the step (a child of the run's span; the parent of its attempts), from now
   * until its outcome is known. A step retried after a backoff gets one span per attempt's execution.
   */
  private Future<StepOutcome> traced(Step step, Execution ex, Supplier<Future<StepOutcome>> execution) {
    if (!spans.enabled()) {
      return execution.get();
    }
    Spans.Span span = spans.start("step " + step.id(), Spans.Kind.INTERNAL, ex.trace, null, ex.trace.runSpanId(), 0)
      .set(RunSpans.RUN_ID, ex.runId).set(RunSpans.ORCHESTRATION_ID, ex.orchestrationId)
      .set(RunSpans.STEP_ID, step.id()).set("orchestrator.step.type", type(step))
      .set(RunSpans.ATTEMPT, ex.attempt);
    ex.stepSpanId = span.spanId();
    return execution.get().onComplete(done -> span.set(RunSpans.OUTCOME,
      done.succeeded() ? outcome(done.result()) : "error").end());
  }

  /** How a step's execution ended, as its span says. */
  private static String outcome(StepOutcome outcome) {
    if (outcome instanceof StepOutcome.Continue) {
      return "completed";
    }
    if (outcome instanceof StepOutcome.Park) {
      return "waiting";
    }
    if (outcome instanceof StepOutcome.AwaitTask) {
      return "task_queued";
    }
    return outcome instanceof StepOutcome.Retry ? "retry" : "failed";
  }

  private Future<StepOutcome> executeStep(Step step, Execution ex) {
    if (step instanceof DelayStep delay) {
      return Future.succeededFuture(DelayStepExecutor.execute(delay));
    }
    if (step instanceof DecisionStep decision) {
      return Future.succeededFuture(decisions.execute(decision, ex));
    }
    return leases.keeping(ex.runId, ex.fence, compute.execute((ComputeStep) step, ex));
  }

  private Future<Void> apply(ExecutableOrchestration def, Execution ex, StepOutcome outcome) {
    if (outcome instanceof StepOutcome.Continue next) {
      return carry(def, ex, new ArrayList<>(2), next);
    }
    if (outcome instanceof StepOutcome.Park park) {
      return store.park(ex.runId, ex.fence, park.delayStepId(), park.nextStepId(), park.delay())
        .compose(result -> afterRelease(ex, result, park.delay()));
    }
    if (outcome instanceof StepOutcome.AwaitTask await) {
      return tasks.handOver(ex.runId, ex.fence, await.task())
        .compose(result -> result == TransitionResult.OK ? Future.succeededFuture() : letGo(ex, result));
    }
    if (outcome instanceof StepOutcome.Retry retry) {
      return store.retryStep(ex.runId, ex.fence, retry.error(), retry.backoff())
        .onSuccess(result -> {
          if (result == TransitionResult.OK) {
            ex.retried();
          }
        })
        .compose(result -> afterRelease(ex, result, retry.backoff()));
    }
    return failed(ex, new ArrayList<>(1), (StepOutcome.Fail) outcome);
  }

  /**
   * A finished step, then every decision step that follows it in a row: decisions do no I/O, so they execute here
   * at once and go to the store with the step before them, in one transition ({@code advance}, or {@code finish}
   * when the run ends among them), instead of a transition each. The row ends at a step that does I/O (compute,
   * delay), at the step limit, or after {@value #MAX_STEPS_PER_TRANSITION} steps (the rest go in the next
   * transition). The execution mirrors each step before the transition is written (a decision reads the outputs
   * before it); a transition the store refuses ends this worker's hold, so nothing is ever read from a mirror the
   * store did not accept.
   */
  private Future<Void> carry(ExecutableOrchestration def, Execution ex, List<StepRecord> done,
                             StepOutcome.Continue next) {
    StepOutcome.Continue step = next;
    // a loop, not a recursion: a run cycling through decisions makes up to ORCH_MAX_STEPS_PER_RUN of them here
    while (true) {
      done.add(step.record());
      if (step.nextStepId() == null) {
        return finish(ex, RunStatus.COMPLETED, done, null);
      }
      ex.advanced(step.record(), step.nextStepId());
      if (!(def.step(ex.cursor) instanceof DecisionStep decision) || limits.check(def, ex) != null
        || done.size() >= MAX_STEPS_PER_TRANSITION) {
        break;
      }
      // a decision's outcome is known at once (its future is complete when run returns)
      Future<StepOutcome> decided = run(decision, ex);
      if (decided.failed()) {
        return Future.failedFuture(decided.cause());
      }
      if (decided.result() instanceof StepOutcome.Fail fail) {
        return failed(ex, done, fail);
      }
      step = (StepOutcome.Continue) decided.result();
    }
    return store.advance(ex.runId, ex.fence, done, ex.cursor, leases.lease())
      .compose(result -> result == TransitionResult.OK ? next(def, ex) : letGo(ex, result));
  }

  /** Fails the run with the steps {@code done} before it, and the failed step (if it has a record) last. */
  private Future<Void> failed(Execution ex, List<StepRecord> done, StepOutcome.Fail fail) {
    if (fail.record() != null) {
      done.add(fail.record());
    }
    return finish(ex, RunStatus.FAILED, done, fail.error());
  }

  private Future<Void> afterRelease(Execution ex, TransitionResult result, Duration due) {
    if (result == TransitionResult.OK) {
      wake.runDue(ex.runId, clock.millis() + due.toMillis());
      return Future.succeededFuture();
    }
    return letGo(ex, result);
  }

  private Future<Void> finish(Execution ex, RunStatus status, List<StepRecord> steps, StepError error) {
    return store.finishAfter(ex.runId, ex.fence, status, steps, error).compose(result -> {
      if (result == TransitionResult.OK) {
        metrics.runFinished(status);
        runSpan(ex, status);
        return Future.succeededFuture();
      }
      return letGo(ex, result);
    });
  }

  private void runSpan(Execution ex, RunStatus status) {
    RunSpans.finished(spans, ex.trace, ex.orchestrationId, ex.orchestrationVersion, ex.workspace, status.wire(),
      ex.startedAtMs, clock.millis());
  }

  private static Future<Void> letGo(Execution ex, TransitionResult result) {
    LOG.info("run {} released by this worker at step {}: {}", ex.runId, ex.cursor, result);
    return Future.succeededFuture();
  }

  /** compute, decision or delay: the step's {@code type} as definitions write it. */
  static String type(Step step) {
    return step instanceof ComputeStep ? "compute" : step instanceof DecisionStep ? "decision" : "delay";
  }
}
