package io.orchestrator.runs;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Ids;
import io.orchestrator.common.Page;
import io.orchestrator.common.TraceParent;
import io.orchestrator.definitions.LiveOrchestrationCache;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.tracing.RunSpans;
import io.orchestrator.tracing.Spans;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Starting, reading and cancelling runs. Runs are addressed through their orchestration (id or slug); an
 * {@code orch_…} id keeps working after the orchestration is deleted, so its last runs stay readable.
 */
public final class RunService {

  private final OrchestrationStore orchestrations;
  private final LiveOrchestrationCache liveCache;
  private final RunRecords store;
  private final RunReader reader;
  private final WakeSignal wake;
  private final DirectStarts direct;
  private final Ids ids;
  private final RunMeters meters;
  private final StepTypes stepTypes;
  private final Spans spans;
  private final Clock clock;

  /**
   * @param direct hands a new run to a free worker slot of this instance when the store claims it as it creates it
   * @param spans  receives the span of every run cancelled here
   */
  public RunService(OrchestrationStore orchestrations, LiveOrchestrationCache live, RunRecords store, RunHistory history,
                    WakeSignal wake, DirectStarts direct, Ids ids, RunMeters meters, StepTypes stepTypes, Spans spans,
                    Clock clock) {
    this.orchestrations = orchestrations;
    this.liveCache = live;
    this.store = store;
    this.reader = new RunReader(store, history);
    this.wake = wake;
    this.direct = direct;
    this.ids = ids;
    this.meters = meters;
    this.stepTypes = stepTypes;
    this.spans = spans;
    this.clock = clock;
  }

  /** Get Run Details of {@code run}, its timeline typed by the steps of its version. */
  public Future<JsonObject> details(Run run) {
    return stepTypes.of(run).map(types -> RunJson.details(run, types));
  }

  /** What a start produced: the run, and whether an idempotency key returned an earlier one. */
  public record Started(Run run, boolean replayed) {
  }

  /**
   * Manual trigger: an active orchestration gets a pending run of its current version. A repeated Idempotency-Key
   * returns its run for 24 h, even once the orchestration has been deactivated; a new request to an inactive one
   * is a conflict.
   */
  public Future<Started> trigger(String workspace, String ref, RunRequest request) {
    return live(workspace, ref).compose(orchestration -> orchestration.active()
      ? start(orchestration, "manual", request)
      : replay(orchestration, request).compose(replayed -> replayed.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.conflict("Orchestration '" + orchestration.slug()
          + "' is not active")))));
  }

  /** The earlier run of a request's Idempotency-Key, while the key holds it; empty without a key. */
  Future<Optional<Started>> replay(Orchestration orchestration, RunRequest request) {
    if (request.idempotencyKey() == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String workspace = orchestration.workspace();
    return store.idempotentRunId(workspace, orchestration.id(), request.idempotencyKey())
      .compose(runId -> runId.isEmpty() ? Future.succeededFuture(Optional.empty())
        : reader.get(workspace, orchestration.id(), runId.get()).map(run -> Optional.of(new Started(run, true))));
  }

  /**
   * Starts a run of {@code orchestration}'s current version; used by every trigger type. A run that may start now
   * goes straight to a free worker slot of this instance when the store can claim it as it creates it (its
   * partition has nothing due waiting); otherwise it is queued and the workers are woken. Either way the answer is
   * the run as accepted, {@code pending}.
   */
  public Future<Started> start(Orchestration orchestration, String triggerType, RunRequest request) {
    String runId = request.idempotencyKey() == null ? ids.run()
      : ids.run(orchestration.workspace(), orchestration.id(), request.idempotencyKey());
    NewRun run = new NewRun(runId, orchestration.workspace(), orchestration.id(), orchestration.version(),
      triggerType, request.triggerMetadata(), request.input(), request.context(),
      request.correlationId() != null ? request.correlationId() : Correlation.defaultFor(runId),
      orchestration.steps().getJsonObject(0).getString("id"), request.notBefore(), request.idempotencyKey(),
      request.replayOf(), request.traceParent(), request.traceParent() == null ? null : request.traceState());
    DirectStarts.Slot slot = run.notBefore() == null ? direct.reserve() : null;
    Future<CreateResult> creating = slot == null ? store.create(run) : store.createClaimed(run, slot.lease());
    return creating.transform(done -> {
      if (slot != null && (done.failed() || !done.result().claimed())) {
        slot.cancel();
      }
      if (done.failed()) {
        return Future.failedFuture(done.cause());
      }
      CreateResult created = done.result();
      if (created.created()) {
        meters.started(triggerType);
        if (created.claimed()) {
          slot.start(Run.claimedAtCreation(run, created.startedAt()));
        } else {
          wake.runDue(run.id(), run.notBefore() == null ? 0 : run.notBefore().toEpochMilli());
        }
        return Future.succeededFuture(new Started(Run.pending(run, created.startedAt()), false));
      }
      // The earlier run may already live only in the history (retention shorter than the idempotency window).
      return reader.get(run.workspace(), run.orchestrationId(), created.runId()).map(r -> new Started(r, true));
    });
  }

  public Future<Run> get(String workspace, String ref, String runId) {
    return orchestrationId(workspace, ref).compose(id -> reader.get(workspace, id, runId));
  }

  public Future<Page<Run>> list(String workspace, String ref, RunFilter filter, int page, int pageSize) {
    return orchestrationId(workspace, ref).compose(id -> reader.list(workspace, id, filter, page, pageSize)
      .compose(result -> result.total() > 0 || !ref.startsWith("orch_") ? Future.succeededFuture(result)
        : knownInWorkspace(workspace, id).map(result)));
  }

  /** The workspace's runs of one correlation id, across its orchestrations, newest first. */
  public Future<Page<Run>> listByCorrelation(String workspace, String correlationId, int page, int pageSize) {
    return reader.list(workspace, null, new RunFilter(null, null, null, correlationId), page, pageSize);
  }

  /**
   * An {@code orch_…} id skips the live lookup so the runs of a deleted orchestration stay readable; an empty list
   * is an answer only when the id is this workspace's (live or deleted: its first version exists here). Another
   * workspace's id, or an unknown one, is 404 as on every other run endpoint.
   */
  private Future<Void> knownInWorkspace(String workspace, String orchestrationId) {
    return orchestrations.findVersion(workspace, orchestrationId, 1).compose(found -> found.isPresent()
      ? Future.succeededFuture()
      : Future.failedFuture(ApiException.notFound("Orchestration not found")));
  }

  /** Cancels a pending, running or waiting run; a finished one → conflict. */
  public Future<Run> cancel(String workspace, String ref, String runId) {
    return orchestrationId(workspace, ref).compose(id -> store.cancel(workspace, id, runId)
      .compose(result -> switch (result) {
        case OK -> {
          meters.finished(RunStatus.CANCELLED);
          long cancelledAt = clock.millis();
          yield reader.get(workspace, id, runId).onSuccess(run -> RunSpans.finished(spans, run.trace(), id,
            run.orchestrationVersion(), workspace, RunStatus.CANCELLED.wire(), run.startedAt().toEpochMilli(),
            cancelledAt));
        }
        case FINISHED -> Future.failedFuture(ApiException.conflict("Run " + runId + " has already finished"));
        default -> Future.failedFuture(ApiException.notFound("Run not found"));
      }));
  }

  /** The canonical id of a live orchestration (id or slug); 404 when unknown, deleted or another workspace's. */
  public Future<String> liveOrchestrationId(String workspace, String ref) {
    return live(workspace, ref).map(Orchestration::id);
  }

  /** The orchestration, active or not; 404 when unknown, deleted or another workspace's. */
  public Future<Orchestration> live(String workspace, String ref) {
    return liveCache.find(workspace, ref).compose(found -> found.map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(ApiException.notFound("Orchestration not found"))));
  }

  private Future<String> orchestrationId(String workspace, String ref) {
    return ref.startsWith("orch_") ? Future.succeededFuture(ref) : live(workspace, ref).map(Orchestration::id);
  }

  /**
   * How a run should start. {@code notBefore} null = at once; {@code idempotencyKey} null = always new;
   * {@code replayOf} the run a replay replays, else null; {@code traceParent} the trigger's W3C trace context (null:
   * the run starts a new trace) and {@code traceState} its {@code tracestate} (ignored without a traceParent).
   */
  public record RunRequest(JsonObject input, JsonObject context, JsonObject triggerMetadata, String correlationId,
                           String idempotencyKey, Instant notBefore, String replayOf, TraceParent traceParent,
                           String traceState) {

    public RunRequest(JsonObject input, JsonObject context, JsonObject triggerMetadata, String correlationId,
                      String idempotencyKey, Instant notBefore) {
      this(input, context, triggerMetadata, correlationId, idempotencyKey, notBefore, null);
    }

    public RunRequest(JsonObject input, JsonObject context, JsonObject triggerMetadata, String correlationId,
                      String idempotencyKey, Instant notBefore, String replayOf) {
      this(input, context, triggerMetadata, correlationId, idempotencyKey, notBefore, replayOf, null, null);
    }

    /** This request inside the caller's trace: {@code traceParent} as parsed (null: a new trace). */
    public RunRequest withTrace(TraceParent parent, String state) {
      return new RunRequest(input, context, triggerMetadata, correlationId, idempotencyKey, notBefore, replayOf,
        parent, parent == null ? null : state);
    }
  }
}
