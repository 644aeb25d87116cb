package io.orchestrator.store.pg;

import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunHistory;
import io.orchestrator.runs.RunJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RunHistory} on PostgreSQL: one row per run with its whole document as jsonb. */
public final class PgRunHistory implements RunHistory {

  private static final String SCOPE = " WHERE workspace = $1 AND orchestration_id = $2 ";

  private final Pool pool;

  public PgRunHistory(Pool pool) {
    this.pool = pool;
  }

  /**
   * Upserts the runs. When PostgreSQL refuses a document it cannot hold in jsonb (a U+0000 in a function's output,
   * say), the batch is written again with that character replaced (see {@link JsonbSafe}): one such run must not
   * stop the history of every run queued after it.
   */
  @Override
  public Future<Void> save(List<HistoryRecord> runs) {
    if (runs.isEmpty()) {
      return Future.succeededFuture();
    }
    return upsert(runs, false).recover(e -> e instanceof PgException pg
      && JsonbSafe.UNSUPPORTED_ESCAPE.equals(pg.getSqlState()) ? upsert(runs, true) : Future.failedFuture(e));
  }

  /** The documents go in as text, cast to jsonb by PostgreSQL: they are JSON text already ({@link HistoryRecord}). */
  private Future<Void> upsert(List<HistoryRecord> runs, boolean replaceNul) {
    List<Tuple> rows = new ArrayList<>(runs.size());
    for (HistoryRecord run : runs) {
      String body = replaceNul ? JsonbSafe.copy(new JsonObject(run.document())).encode() : run.document();
      rows.add(Tuple.tuple().addString(run.id()).addString(run.workspace()).addString(run.orchestrationId())
        .addString(run.status().wire()).addValue(PgTime.toPg(run.startedAt()))
        .addValue(PgTime.toPg(run.completedAt())).addString(body).addString(run.correlationId()));
    }
    return pool.preparedQuery("INSERT INTO runs (id, workspace, orchestration_id, status, started_at, completed_at, "
        + "body, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8) ON CONFLICT (id) DO UPDATE SET "
        + "status = EXCLUDED.status, "
        + "completed_at = EXCLUDED.completed_at, body = EXCLUDED.body").executeBatch(rows)
      .mapEmpty();
  }

  @Override
  public Future<Void> markEvicted(List<String> runIds) {
    if (runIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("UPDATE runs SET evicted = true WHERE id = ANY($1)")
      .execute(Tuple.tuple().addArrayOfString(runIds.toArray(new String[0]))).mapEmpty();
  }

  @Override
  public Future<Void> unmarkEvicted(List<String> runIds) {
    if (runIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("UPDATE runs SET evicted = false WHERE id = ANY($1) AND evicted")
      .execute(Tuple.tuple().addArrayOfString(runIds.toArray(new String[0]))).mapEmpty();
  }

  @Override
  public Future<Optional<Run>> find(String workspace, String orchestrationId, String runId) {
    return pool.preparedQuery("SELECT body FROM runs" + SCOPE + "AND id = $3")
      .execute(Tuple.of(workspace, orchestrationId, runId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRun(rows.iterator().next())));
  }

  @Override
  public Future<List<Run>> evicted(String workspace, String orchestrationId, RunFilter filter, int limit) {
    EvictedQuery query = new EvictedQuery(workspace, orchestrationId, filter);
    return pool.preparedQuery("SELECT body FROM runs" + query.where() + " ORDER BY id DESC" + query.limit(limit))
      .execute(query.params())
      .map(set -> {
        List<Run> runs = new ArrayList<>();
        set.forEach(row -> runs.add(toRun(row)));
        return runs;
      });
  }

  @Override
  public Future<Long> countEvicted(String workspace, String orchestrationId, RunFilter filter) {
    EvictedQuery query = new EvictedQuery(workspace, orchestrationId, filter);
    return pool.preparedQuery("SELECT count(*) FROM runs" + query.where()).execute(query.params())
      .map(set -> set.iterator().next().getLong(0));
  }

  private static Run toRun(Row row) {
    return RunJson.fromHistory((JsonObject) row.getValue("body"));
  }
}
