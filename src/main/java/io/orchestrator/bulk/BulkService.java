package io.orchestrator.bulk;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Ids;
import io.orchestrator.common.Page;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunRecords;
import io.orchestrator.runs.RunService;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Bulk actions on an orchestration's runs (DESIGN.md §9): creating one freezes the runs it matches (those started
 * before the request that the filter covers, in Redis and in the history) and answers at once; a
 * {@link BulkProcessor} on some worker instance then acts on them in batches. Operations are kept 7 days.
 */
public final class BulkService {

  /** How long operations are kept (and listed). */
  public static final Duration RETENTION = Duration.ofDays(7);

  private final RunService runs;
  private final RunRecords records;
  private final BulkStore store;
  private final BulkMeters meters;
  private final Ids ids;
  private final Clock clock;
  private final String namespace;

  /** @param namespace the run store's key prefix: only instances of that prefix act on the operation */
  public BulkService(RunService runs, RunRecords records, BulkStore store, BulkMeters meters, Ids ids, Clock clock,
                     String namespace) {
    this.runs = runs;
    this.records = records;
    this.store = store;
    this.meters = meters;
    this.ids = ids;
    this.clock = clock;
    this.namespace = namespace;
  }

  /**
   * Creates a bulk operation on the runs of orchestration {@code ref} that {@code request} covers.
   *
   * @return the operation (running) and whether an earlier request of the same Idempotency-Key made it; 404 for an
   *     unknown or deleted orchestration, 409 for a replay of an inactive one
   */
  public Future<BulkStore.Created> create(String workspace, String ref, BulkRequest request, String idempotencyKey,
                                          String actor) {
    return runs.live(workspace, ref).compose(orchestration -> idempotencyKey == null
      ? createNew(orchestration, request, null, actor)
      : store.findByIdempotencyKey(workspace, orchestration.id(), idempotencyKey).compose(found -> found.isPresent()
        ? Future.succeededFuture(new BulkStore.Created(found.get(), true))
        : createNew(orchestration, request, idempotencyKey, actor)));
  }

  private Future<BulkStore.Created> createNew(Orchestration orchestration, BulkRequest request, String key,
                                              String actor) {
    if (request.action() == BulkAction.REPLAY && !orchestration.active()) {
      return Future.failedFuture(ApiException.conflict("Orchestration '" + orchestration.slug()
        + "' is not active: its runs cannot be replayed"));
    }
    Instant createdAt = clock.instant();
    RunFilter snapshot = request.filter().snapshot(createdAt);
    return liveRunIds(orchestration, request.filter(), snapshot)
      .compose(live -> store.create(new BulkStore.NewBulk(ids.next(BulkOperation.ID_PREFIX), namespace,
        orchestration.workspace(), orchestration.id(), request.action(), request.filter(), snapshot, createdAt, actor,
        key, live)))
      .onSuccess(created -> {
        if (!created.replayed()) {
          meters.created(request.action());
        }
      });
  }

  /** The matched runs Redis holds: the named ones that exist here and pass the filter, else the filter's range. */
  private Future<List<String>> liveRunIds(Orchestration orchestration, BulkFilter filter, RunFilter snapshot) {
    if (!filter.runIds().isEmpty()) {
      return records.getMany(filter.runIds()).map(found -> found.stream()
        .filter(run -> run.workspace().equals(orchestration.workspace())
          && run.orchestrationId().equals(orchestration.id()) && snapshot.matches(run))
        .map(Run::id).toList());
    }
    return records.listIds(orchestration.workspace(), orchestration.id(), snapshot, 0, Integer.MAX_VALUE)
      .map(page -> page.ids());
  }

  /** The operation; 404 when unknown, another workspace's or past its retention. */
  public Future<BulkOperation> get(String workspace, String id) {
    return store.find(workspace, id, keptSince()).compose(found -> found.map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(ApiException.notFound("Bulk operation not found"))));
  }

  /** The workspace's operations, newest first. */
  public Future<Page<BulkOperation>> list(String workspace, int page, int pageSize) {
    return store.list(workspace, page, pageSize, keptSince());
  }

  private Instant keptSince() {
    return clock.instant().minus(RETENTION);
  }
}
