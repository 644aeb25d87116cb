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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link RunHistory} on PostgreSQL: one row per run with its whole document as jsonb. */
public final class PgRunHistory implements RunHistory {

  private static final String SCOPE = " WHERE workspace = $1 AND orchestration_id = $2 ";

  /** Document text per insert statement: a batch of large runs is split so no statement nears PostgreSQL's 1 GB. */
  static final int STATEMENT_CHARS = 8 * 1024 * 1024;

  private final Pool pool;
  private final int statementChars;

  public PgRunHistory(Pool pool) {
    this(pool, STATEMENT_CHARS);
  }

  /** With another bound on the document text per statement than {@link #STATEMENT_CHARS} (tests). */
  public PgRunHistory(Pool pool, int statementChars) {
    this.pool = pool;
    this.statementChars = statementChars;
  }

  /**
   * Upserts the runs, in as few statements as their size allows, one after the other: usually one. A run the batch
   * holds twice (finished again after a redrive before it was written) is written once, from its last record: one
   * statement may not update a row twice. A failure leaves the statements before it written, which the retry writes
   * again. When PostgreSQL refuses a document it cannot hold in jsonb (a U+0000 in a function's output, say), that
   * statement is written again with the character replaced (see {@link JsonbSafe}): one such run must not stop the
   * history of every run queued after it.
   */
  @Override
  public Future<Void> save(List<HistoryRecord> runs) {
    Future<Void> written = Future.succeededFuture();
    for (List<HistoryRecord> statement : statements(lastPerId(runs))) {
      written = written.compose(v -> insert(statement, false).recover(e -> e instanceof PgException pg
        && JsonbSafe.UNSUPPORTED_ESCAPE.equals(pg.getSqlState()) ? insert(statement, true) : Future.failedFuture(e)));
    }
    return written;
  }

  /**
   * One statement for many runs, its columns as arrays ({@code unnest}): PostgreSQL plans and starts its executor
   * once, not once per run as a batch of single-row inserts would. The documents go in as text, cast to jsonb by
   * PostgreSQL: they are JSON text already ({@link HistoryRecord}).
   */
  private Future<Void> insert(List<HistoryRecord> runs, boolean replaceNul) {
    int n = runs.size();
    String[] ids = new String[n];
    String[] workspaces = new String[n];
    String[] orchestrations = new String[n];
    String[] statuses = new String[n];
    OffsetDateTime[] startedAt = new OffsetDateTime[n];
    OffsetDateTime[] completedAt = new OffsetDateTime[n];
    String[] bodies = new String[n];
    String[] correlations = new String[n];
    for (int i = 0; i < n; i++) {
      HistoryRecord run = runs.get(i);
      ids[i] = run.id();
      workspaces[i] = run.workspace();
      orchestrations[i] = run.orchestrationId();
      statuses[i] = run.status().wire();
      startedAt[i] = PgTime.toPg(run.startedAt());
      completedAt[i] = PgTime.toPg(run.completedAt());
      bodies[i] = replaceNul ? JsonbSafe.copy(new JsonObject(run.document())).encode() : run.document();
      correlations[i] = run.correlationId();
    }
    return pool.preparedQuery("INSERT INTO runs (id, workspace, orchestration_id, status, started_at, completed_at, "
        + "body, correlation_id) SELECT id, workspace, orchestration_id, status, started_at, completed_at, "
        + "body::jsonb, correlation_id FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
        + "$5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[]) AS batch (id, workspace, orchestration_id, "
        + "status, started_at, completed_at, body, correlation_id) ON CONFLICT (id) DO UPDATE SET "
        + "status = EXCLUDED.status, completed_at = EXCLUDED.completed_at, body = EXCLUDED.body")
      .execute(Tuple.of(ids, workspaces, orchestrations, statuses, startedAt, completedAt, bodies, correlations))
      .mapEmpty();
  }

  /** The runs in order, cut into statements of at most {@link #statementChars} of documents (at least one run each). */
  private List<List<HistoryRecord>> statements(Collection<HistoryRecord> runs) {
    List<List<HistoryRecord>> statements = new ArrayList<>();
    List<HistoryRecord> current = new ArrayList<>();
    long chars = 0;
    for (HistoryRecord run : runs) {
      if (!current.isEmpty() && chars + run.document().length() > statementChars) {
        statements.add(current);
        current = new ArrayList<>();
        chars = 0;
      }
      current.add(run);
      chars += run.document().length();
    }
    if (!current.isEmpty()) {
      statements.add(current);
    }
    return statements;
  }

  /**
   * The batch's last record of each run, in id order: instances archive at once and their batches overlap (a run
   * finished shortly before is in every instance's next batch), so their statements must lock the rows they upsert
   * in one order, or two of them each wait for a row the other holds until PostgreSQL cancels one as a deadlock.
   */
  private static Collection<HistoryRecord> lastPerId(List<HistoryRecord> runs) {
    Map<String, HistoryRecord> byId = new TreeMap<>();
    runs.forEach(run -> byId.put(run.id(), run));
    return byId.values();
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
