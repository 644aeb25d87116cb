package io.orchestrator.store.pg;

import io.orchestrator.bulk.BulkAction;
import io.orchestrator.bulk.BulkFilter;
import io.orchestrator.bulk.BulkOperation;
import io.orchestrator.bulk.BulkStore;
import io.orchestrator.bulk.Tally;
import io.orchestrator.common.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link BulkStore} on PostgreSQL: {@code bulk_operations} (counters, cursor, lease) and
 * {@code bulk_operation_runs} (the matched run ids, frozen at creation; the cursor pages them by id). A claim is one
 * {@code UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}; every later write of the holder names
 * the token it got and changes nothing once another claim bumped it.
 */
public final class PgBulkStore implements BulkStore {

  private static final String COLUMNS = "id, workspace, orchestration_id, action, filter, status, matched, succeeded, "
    + "skipped, failed, created_at, created_by, completed_at";
  private static final String IDEMPOTENCY_INDEX = "bulk_operations_idempotency";
  private static final int INSERT_CHUNK = 5_000;

  private final Pool pool;

  public PgBulkStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Created> create(NewBulk bulk) {
    return pool.withTransaction(conn -> insertOperation(conn, bulk)
        .compose(v -> insertLive(conn, bulk.id(), bulk.liveRunIds(), 0))
        .compose(v -> insertEvicted(conn, bulk))
        .compose(v -> conn.preparedQuery("UPDATE bulk_operations SET matched = (SELECT count(*) FROM "
            + "bulk_operation_runs WHERE bulk_id = $1) WHERE id = $1 RETURNING " + COLUMNS)
          .execute(Tuple.of(bulk.id())))
        .map(rows -> new Created(operation(rows.iterator().next()), false)))
      .recover(e -> isKeyTaken(e) ? findByIdempotencyKey(bulk.workspace(), bulk.orchestrationId(),
          bulk.idempotencyKey()).compose(found -> found.map(op -> Future.succeededFuture(new Created(op, true)))
          .orElseGet(() -> Future.failedFuture(e)))
        : Future.failedFuture(e));
  }

  private static Future<Void> insertOperation(SqlConnection conn, NewBulk bulk) {
    return conn.preparedQuery("INSERT INTO bulk_operations (id, namespace, workspace, orchestration_id, action, "
        + "filter, status, created_at, created_by, idempotency_key) "
        + "VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9)")
      .execute(Tuple.tuple().addString(bulk.id()).addString(bulk.namespace()).addString(bulk.workspace())
        .addString(bulk.orchestrationId()).addString(bulk.action().wire()).addValue(bulk.filter().toJson())
        .addValue(PgTime.toPg(bulk.createdAt())).addString(bulk.createdBy()).addString(bulk.idempotencyKey()))
      .mapEmpty();
  }

  /** The live run ids in statements of {@value #INSERT_CHUNK}, so none holds a huge parameter. */
  private static Future<Void> insertLive(SqlConnection conn, String bulkId, List<String> ids, int from) {
    if (from >= ids.size()) {
      return Future.succeededFuture();
    }
    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + INSERT_CHUNK));
    return conn.preparedQuery("INSERT INTO bulk_operation_runs (bulk_id, run_id) SELECT $1, unnest($2::text[]) "
        + "ON CONFLICT DO NOTHING")
      .execute(Tuple.tuple().addString(bulkId).addArrayOfString(chunk.toArray(new String[0])))
      .compose(v -> insertLive(conn, bulkId, ids, from + INSERT_CHUNK));
  }

  /** The history's evicted runs the snapshot covers (only the named ones when the filter names runs). */
  private static Future<Void> insertEvicted(SqlConnection conn, NewBulk bulk) {
    EvictedQuery query = new EvictedQuery(bulk.workspace(), bulk.orchestrationId(), bulk.snapshot());
    Tuple params = query.params();
    String where = query.where();
    if (!bulk.filter().runIds().isEmpty()) {
      params.addArrayOfString(bulk.filter().runIds().toArray(new String[0]));
      where += " AND id = ANY($" + params.size() + ")";
    }
    params.addString(bulk.id());
    return conn.preparedQuery("INSERT INTO bulk_operation_runs (bulk_id, run_id) SELECT $" + params.size()
        + ", id FROM runs" + where + " ON CONFLICT DO NOTHING")
      .execute(params).mapEmpty();
  }

  private static boolean isKeyTaken(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState())
      && IDEMPOTENCY_INDEX.equals(pg.getConstraint());
  }

  @Override
  public Future<Optional<BulkOperation>> findByIdempotencyKey(String workspace, String orchestrationId, String key) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM bulk_operations WHERE workspace = $1 AND "
        + "orchestration_id = $2 AND idempotency_key = $3")
      .execute(Tuple.of(workspace, orchestrationId, key)).map(PgBulkStore::first);
  }

  @Override
  public Future<Optional<BulkOperation>> find(String workspace, String id, Instant keptSince) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM bulk_operations WHERE workspace = $1 AND id = $2 "
        + "AND created_at >= $3")
      .execute(Tuple.of(workspace, id, PgTime.toPg(keptSince))).map(PgBulkStore::first);
  }

  @Override
  public Future<Page<BulkOperation>> list(String workspace, int page, int pageSize, Instant keptSince) {
    String from = " FROM bulk_operations WHERE workspace = $1 AND created_at >= $2";
    Future<List<BulkOperation>> items = pool.preparedQuery("SELECT " + COLUMNS + from
        + " ORDER BY id DESC LIMIT $3 OFFSET $4")
      .execute(Tuple.of(workspace, PgTime.toPg(keptSince), pageSize, (page - 1) * pageSize))
      .map(rows -> {
        List<BulkOperation> list = new ArrayList<>();
        rows.forEach(row -> list.add(operation(row)));
        return list;
      });
    Future<Long> total = pool.preparedQuery("SELECT count(*)" + from)
      .execute(Tuple.of(workspace, PgTime.toPg(keptSince))).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(v -> new Page<>(items.result(), total.result(), page, pageSize));
  }

  @Override
  public Future<Optional<Claim>> claim(String namespace, String owner, Instant now, Instant leaseUntil) {
    return pool.preparedQuery("UPDATE bulk_operations SET lease_owner = $2, lease_until = $4, "
        + "lease_token = lease_token + 1 WHERE id = (SELECT id FROM bulk_operations WHERE namespace = $1 AND "
        + "status = 'running' AND (lease_until IS NULL OR lease_until < $3 OR lease_owner = $2) ORDER BY id LIMIT 1 "
        + "FOR UPDATE SKIP LOCKED) AND status = 'running' RETURNING " + COLUMNS
        + ", lease_token, cursor_id, in_flight_floor")
      .execute(Tuple.of(namespace, owner, PgTime.toPg(now), PgTime.toPg(leaseUntil)))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Claim(operation(row), row.getLong("lease_token"), row.getString("cursor_id"),
          row.getString("in_flight_floor")));
      });
  }

  @Override
  public Future<List<String>> nextRunIds(String bulkId, String cursor, int count) {
    return pool.preparedQuery("SELECT run_id FROM bulk_operation_runs WHERE bulk_id = $1 AND "
        + "($2::text IS NULL OR run_id < $2) ORDER BY run_id DESC LIMIT $3")
      .execute(Tuple.of(bulkId, cursor, count))
      .map(rows -> {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getString(0)));
        return ids;
      });
  }

  @Override
  public Future<Boolean> begin(String bulkId, long token, String floor, Instant leaseUntil) {
    return fenced("in_flight_floor = $3, lease_until = $4",
      Tuple.of(bulkId, token, floor, PgTime.toPg(leaseUntil)));
  }

  @Override
  public Future<Boolean> advance(String bulkId, long token, String cursor, Tally tally, Instant leaseUntil) {
    return fenced("cursor_id = $3, in_flight_floor = NULL, succeeded = succeeded + $4, skipped = skipped + $5, "
        + "failed = failed + $6, lease_until = $7", Tuple.of(bulkId, token, cursor, tally.succeeded(),
      tally.skipped(), tally.failed(), PgTime.toPg(leaseUntil)));
  }

  @Override
  public Future<Boolean> complete(String bulkId, long token, Instant at) {
    return fenced("status = 'completed', completed_at = $3, lease_owner = NULL, lease_until = NULL, "
      + "in_flight_floor = NULL", Tuple.of(bulkId, token, PgTime.toPg(at)));
  }

  @Override
  public Future<Void> release(String bulkId, long token) {
    return fenced("lease_owner = NULL, lease_until = NULL", Tuple.of(bulkId, token)).mapEmpty();
  }

  /** An update of the operation that applies only while {@code token} ($2) still holds its lease. */
  private Future<Boolean> fenced(String set, Tuple params) {
    return pool.preparedQuery("UPDATE bulk_operations SET " + set + " WHERE id = $1 AND lease_token = $2 AND "
        + "status = 'running'").execute(params).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Integer> deleteCreatedBefore(Instant before, int max) {
    return pool.preparedQuery("DELETE FROM bulk_operations WHERE id IN (SELECT id FROM bulk_operations WHERE "
        + "created_at < $1 LIMIT $2)").execute(Tuple.of(PgTime.toPg(before), max)).map(RowSet::rowCount);
  }

  private static Optional<BulkOperation> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(operation(rows.iterator().next()));
  }

  private static BulkOperation operation(Row row) {
    return new BulkOperation(row.getString("id"), row.getString("workspace"), row.getString("orchestration_id"),
      BulkAction.fromWire(row.getString("action")).orElseThrow(),
      BulkFilter.fromJson((JsonObject) row.getValue("filter")), "completed".equals(row.getString("status")),
      row.getInteger("matched"), row.getInteger("succeeded"), row.getInteger("skipped"), row.getInteger("failed"),
      PgTime.instant(row, "created_at"), row.getString("created_by"), PgTime.instant(row, "completed_at"));
  }
}
