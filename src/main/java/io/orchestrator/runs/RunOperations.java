package io.orchestrator.runs;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.TraceParent;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acting on runs that exist (DESIGN.md §9): redrive a failed or cancelled run where it stopped, or replay any run
 * into a new one. Both need the orchestration to exist (deleted → 404); a redrive is allowed while it is inactive,
 * a replay follows the manual trigger's rules.
 */
public final class RunOperations {

  private static final Logger LOG = LoggerFactory.getLogger(RunOperations.class);

  private final RunService runs;
  private final OrchestrationStore orchestrations;
  private final RunRecords store;
  private final RunHistory history;
  private final WakeSignal wake;
  private final RunMeters meters;
  private final Clock clock;

  public RunOperations(RunService runs, OrchestrationStore orchestrations, RunRecords store, RunHistory history,
                       WakeSignal wake, RunMeters meters, Clock clock) {
    this.runs = runs;
    this.orchestrations = orchestrations;
    this.store = store;
    this.history = history;
    this.wake = wake;
    this.meters = meters;
    this.clock = clock;
  }

  /**
   * What a replay asks for; null fields default to the source run's (the current version for the version), except
   * the trace context: without a {@code traceParent} the new run starts a new trace.
   */
  public record ReplayRequest(JsonObject input, JsonObject context, Integer version, String idempotencyKey,
                              String actor, TraceParent traceParent, String traceState) {

    public ReplayRequest(JsonObject input, JsonObject context, Integer version, String idempotencyKey, String actor) {
      this(input, context, version, idempotencyKey, actor, null, null);
    }
  }

  /**
   * Redrives a failed or cancelled run from the step that failed (or was current when it was cancelled); a run
   * already moved to the history comes back into Redis.
   *
   * @return the run, pending again; 404 for an unknown run, 409 for any other status or a concurrent redrive
   */
  public Future<Run> redrive(String workspace, String ref, String runId, String actor) {
    return redrive(workspace, ref, runId, actor, -1);
  }

  /**
   * As {@link #redrive(String, String, String, String)}, only while the run has been redriven exactly
   * {@code expectedRedrives} times (-1: any): a bulk redrive acts only on the run as it read it, so a run redriven
   * since (and failed again) is a conflict rather than redriven twice.
   */
  public Future<Run> redrive(String workspace, String ref, String runId, String actor, int expectedRedrives) {
    return runs.live(workspace, ref).compose(orchestration -> find(workspace, orchestration.id(), runId)
      .compose(found -> {
        Run run = found.run();
        if (expectedRedrives >= 0 && run.redrives().size() != expectedRedrives) {
          return Future.failedFuture(ApiException.conflict("Run " + runId + " was redriven since it was read"));
        }
        String from = run.redriveStepId().orElse(null);
        if (from == null) {
          return Future.failedFuture(ApiException.conflict("Run " + runId + " is " + run.status().wire()
            + ": only failed or cancelled runs can be redriven"));
        }
        Redrive redrive = new Redrive(clock.instant(), from, actor);
        return store.redrive(run, redrive, found.fromHistory()).compose(outcome -> switch (outcome.result()) {
          case REDRIVEN -> redriven(outcome.run());
          case NOT_FOUND -> Future.failedFuture(ApiException.notFound("Run not found"));
          case CONFLICT -> Future.failedFuture(ApiException.conflict("Run " + runId
            + " changed while it was being redriven (another redrive won); read it again"));
        });
      }));
  }

  /** @return the run as the redrive left it: pending, whether or not a worker has taken it since */
  private Future<Run> redriven(Run run) {
    meters.redriven();
    wake.runDue(run.id(), 0);
    // a run evicted before (or while) it was redriven is listed from Redis again, not from the history too
    return history.unmarkEvicted(List.of(run.id()))
      .onFailure(e -> LOG.warn("run {} redriven, but its history row is still marked evicted: {}", run.id(),
        e.getMessage()))
      .otherwiseEmpty()
      .map(run);
  }

  /**
   * Replays a run (finished or not) into a new run of the same orchestration: triggerType {@code replay},
   * {@code replayOf} the source; input, context and correlation id default to the source's. An Idempotency-Key is
   * scoped to the source run.
   */
  public Future<RunService.Started> replay(String workspace, String ref, String runId, ReplayRequest request) {
    return runs.live(workspace, ref).compose(orchestration -> runs.get(workspace, orchestration.id(), runId)
      .compose(source -> version(orchestration, request.version()).compose(version -> {
        RunService.RunRequest start = new RunService.RunRequest(
          request.input() != null ? request.input() : source.input(),
          request.context() != null ? request.context() : source.context(),
          new JsonObject().put("triggeredBy", request.actor()).put("replayOf", runId), source.correlationId(),
          request.idempotencyKey() == null ? null : replayKey(runId, request.idempotencyKey()), null, runId)
          .withTrace(request.traceParent(), request.traceState());
        if (orchestration.active()) {
          return runs.start(version, "replay", start);
        }
        return runs.replay(orchestration, start).compose(replayed -> replayed.map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(ApiException.conflict("Orchestration '" + orchestration.slug()
            + "' is not active"))));
      })));
  }

  /** The run store's idempotency key of a replay of {@code runId} asked for with {@code idempotencyKey}. */
  public static String replayKey(String runId, String idempotencyKey) {
    return "replay:" + runId + ":" + idempotencyKey;
  }

  private Future<Orchestration> version(Orchestration current, Integer version) {
    if (version == null || version == current.version()) {
      return Future.succeededFuture(current);
    }
    return orchestrations.findVersion(current.workspace(), current.id(), version)
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Version " + version + " not found"))));
  }

  private record Found(Run run, boolean fromHistory) {
  }

  private Future<Found> find(String workspace, String orchestrationId, String runId) {
    return store.get(workspace, orchestrationId, runId).compose(live -> live.isPresent()
      ? Future.succeededFuture(new Found(live.get(), false))
      : history.find(workspace, orchestrationId, runId).compose(old -> old
        .map(run -> Future.succeededFuture(new Found(run, true)))
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Run not found")))));
  }
}
