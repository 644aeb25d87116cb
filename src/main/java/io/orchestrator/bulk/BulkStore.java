package io.orchestrator.bulk;

import io.orchestrator.common.Page;
import io.orchestrator.runs.RunFilter;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bulk operations, the runs each one matched (frozen at creation) and the lease of the instance working on one.
 * Every write of a lease holder is fenced: it names the lease token its claim returned and changes nothing (answers
 * false) once another claim took the operation over.
 */
public interface BulkStore {

  /** What a bulk operation is created from; {@code liveRunIds} are the matched runs the live store holds. */
  record NewBulk(String id, String namespace, String workspace, String orchestrationId, BulkAction action,
                 BulkFilter filter, RunFilter snapshot, Instant createdAt, String createdBy, String idempotencyKey,
                 List<String> liveRunIds) {
  }

  /**
   * Creates the operation in one transaction with its matched runs: {@code liveRunIds} plus the evicted runs of the
   * history that {@code snapshot} (and, when the filter names them, its run ids) covers, each once.
   *
   * @return the operation, {@code running}, with {@code matched} counted; when {@code idempotencyKey} is already
   *     held in that workspace and orchestration, the existing operation and nothing created (replayed = true)
   */
  Future<Created> create(NewBulk bulk);

  record Created(BulkOperation operation, boolean replayed) {
  }

  Future<Optional<BulkOperation>> findByIdempotencyKey(String workspace, String orchestrationId, String key);

  /** The operation when it belongs to that workspace and is inside its retention. */
  Future<Optional<BulkOperation>> find(String workspace, String id, Instant keptSince);

  /** The workspace's operations created since {@code keptSince}, newest first, with the exact total. */
  Future<Page<BulkOperation>> list(String workspace, int page, int pageSize, Instant keptSince);

  /** A running operation held under a lease: where processing stands. */
  record Claim(BulkOperation operation, long token, String cursor, String inFlightFloor) {
  }

  /**
   * Takes a running operation of {@code namespace} whose lease expired (or that {@code owner} held), oldest first,
   * with a new token and a lease until {@code leaseUntil}.
   */
  Future<Optional<Claim>> claim(String namespace, String owner, Instant now, Instant leaseUntil);

  /** Up to {@code count} matched run ids below {@code cursor} (null: from the newest), newest first. */
  Future<List<String>> nextRunIds(String bulkId, String cursor, int count);

  /** Records that the runs down to {@code floor} are being acted on; renews the lease. @return false: lease lost */
  Future<Boolean> begin(String bulkId, long token, String floor, Instant leaseUntil);

  /** Moves the cursor to {@code cursor} and adds {@code tally}; renews the lease. @return false: lease lost */
  Future<Boolean> advance(String bulkId, long token, String cursor, Tally tally, Instant leaseUntil);

  /** Marks the operation completed at {@code at} and drops its lease. @return false: lease lost */
  Future<Boolean> complete(String bulkId, long token, Instant at);

  /** Gives the lease up at once (a graceful stop), so another instance goes on without waiting for it to expire. */
  Future<Void> release(String bulkId, long token);

  /** Deletes operations (and their matched runs) created before {@code before}. @return how many */
  Future<Integer> deleteCreatedBefore(Instant before, int max);
}
