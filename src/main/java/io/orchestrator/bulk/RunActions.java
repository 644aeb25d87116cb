package io.orchestrator.bulk;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Outages;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunOperations;
import io.orchestrator.runs.RunRecords;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bulk action on one run, safe to repeat: a run whose status left the operation's status filter is skipped, as
 * is one the action does not apply to; a run named as {@code redo} (it may have been acted on by an instance that
 * died before recording it) counts as succeeded when it shows this operation's mark (a cancel at or after the
 * operation's creation, a redrive entry by its creator since then, the replay of its idempotency key), and is not
 * acted on again. A store outage fails the future: the batch waits for the stores and is done again.
 */
public final class RunActions {

  private static final Logger LOG = LoggerFactory.getLogger(RunActions.class);

  private final RunService runs;
  private final RunOperations operations;
  private final RunRecords records;
  private final Outages outages;

  public RunActions(RunService runs, RunOperations operations, RunRecords records, Outages outages) {
    this.runs = runs;
    this.operations = operations;
    this.records = records;
    this.outages = outages;
  }

  public Future<Outcome> act(BulkOperation op, String runId, boolean redo) {
    Future<Outcome> outcome = switch (op.action()) {
      case CANCEL -> read(op, runId).compose(run -> run.map(r -> cancel(op, r, redo)).orElse(skipped()));
      case REDRIVE -> read(op, runId).compose(run -> run.map(r -> redrive(op, r, redo)).orElse(skipped()));
      case REPLAY -> replay(op, runId, redo);
    };
    return outcome.recover(e -> settle(op, runId, e));
  }

  private Future<Outcome> cancel(BulkOperation op, Run run, boolean redo) {
    if (redo && run.status() == RunStatus.CANCELLED && run.completedAt() != null
      && !run.completedAt().isBefore(op.createdAt())) {
      return Future.succeededFuture(Outcome.SUCCEEDED);
    }
    if (!stillMatches(op, run) || run.status().isFinished()) {
      return skipped();
    }
    return runs.cancel(op.workspace(), op.orchestrationId(), run.id()).map(Outcome.SUCCEEDED);
  }

  private Future<Outcome> redrive(BulkOperation op, Run run, boolean redo) {
    if (redo && redrivenByThis(op, run)) {
      return Future.succeededFuture(Outcome.SUCCEEDED);
    }
    if (!stillMatches(op, run) || run.redriveStepId().isEmpty()) {
      return skipped();
    }
    return operations.redrive(op.workspace(), op.orchestrationId(), run.id(), op.createdBy(), run.redrives().size())
      .map(Outcome.SUCCEEDED);
  }

  private Future<Outcome> replay(BulkOperation op, String runId, boolean redo) {
    Future<Boolean> done = redo ? records.idempotentRunId(op.workspace(), op.orchestrationId(),
      RunOperations.replayKey(runId, op.id())).map(Optional::isPresent) : Future.succeededFuture(false);
    return done.compose(replayed -> replayed ? Future.succeededFuture(Outcome.SUCCEEDED)
      : read(op, runId).compose(run -> run.isEmpty() || !stillMatches(op, run.get()) ? skipped()
        : operations.replay(op.workspace(), op.orchestrationId(), runId, new RunOperations.ReplayRequest(null, null,
          null, op.id(), op.createdBy())).map(Outcome.SUCCEEDED)));
  }

  private Future<Optional<Run>> read(BulkOperation op, String runId) {
    return runs.get(op.workspace(), op.orchestrationId(), runId).map(Optional::of)
      .recover(e -> e instanceof ApiException api && api.status() == 404 ? Future.succeededFuture(Optional.empty())
        : Future.failedFuture(e));
  }

  /** A refusal of the run store is this run's outcome; an outage is everybody's (the batch is done again). */
  private Future<Outcome> settle(BulkOperation op, String runId, Throwable failure) {
    if (outages.of(failure).isPresent()) {
      return Future.failedFuture(failure);
    }
    if (failure instanceof ApiException api && (api.status() == 404
      || (api.status() == 409 && op.action() != BulkAction.REPLAY))) {
      return skipped();
    }
    LOG.warn("bulk {}: {} of run {} failed: {}", op.id(), op.action().wire(), runId, failure.getMessage());
    return Future.succeededFuture(Outcome.FAILED);
  }

  private static boolean stillMatches(BulkOperation op, Run run) {
    return op.filter().status() == null || op.filter().status() == run.status();
  }

  /** The run has a redrive entry by the operation's creator made since the operation was created. */
  private static boolean redrivenByThis(BulkOperation op, Run run) {
    for (int i = 0; i < run.redrives().size(); i++) {
      JsonObject entry = run.redrives().getJsonObject(i);
      if (op.createdBy().equals(entry.getString("by"))
        && !Instant.parse(entry.getString("at")).isBefore(op.createdAt())) {
        return true;
      }
    }
    return false;
  }

  private static Future<Outcome> skipped() {
    return Future.succeededFuture(Outcome.SKIPPED);
  }
}
