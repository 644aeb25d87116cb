package io.orchestrator.store.pg;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.orchestrator.functions.FunctionDef;
import io.orchestrator.functions.FunctionDraft;
import io.orchestrator.functions.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link FunctionStore} on PostgreSQL. */
public final class PgFunctionStore implements FunctionStore {

  private static final String COLUMNS = "id, workspace, name, description, runtime, url, queue, headers, timeout_ms, "
    + "signing_secret, created_at, created_by, updated_at, updated_by";
  private static final String LIVE = " FROM functions WHERE workspace = $1 AND deleted_at IS NULL ";
  private static final Map<String, String> SORT_COLUMNS =
    Map.of("createdAt", "created_at", "updatedAt", "updated_at", "name", "name", "slug", "name");

  private final Pool pool;

  public PgFunctionStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<FunctionDef> insert(String workspace, String id, FunctionDraft draft, String signingSecret,
                                    String actor, Instant now) {
    Tuple row = Tuple.tuple().addString(id).addString(workspace).addString(draft.name())
      .addString(draft.description()).addString(draft.runtime()).addString(draft.url()).addString(draft.queue())
      .addValue(draft.headers()).addInteger(draft.timeoutMs()).addString(signingSecret)
      .addValue(PgTime.toPg(now)).addString(actor);
    return pool.preparedQuery("INSERT INTO functions (id, workspace, name, description, runtime, url, queue, headers, "
        + "timeout_ms, signing_secret, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, "
        + "$6, $7, $8, $9, $10, $11, $12, $11, $12) RETURNING " + COLUMNS).execute(row)
      .map(rows -> toFunction(rows.iterator().next()));
  }

  @Override
  public Future<Optional<FunctionDef>> find(String workspace, String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + LIVE + "AND id = $2").execute(Tuple.of(workspace, id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toFunction(rows.iterator().next())));
  }

  @Override
  public Future<Page<FunctionDef>> list(String workspace, PageRequest request) {
    return PgPages.page(pool, COLUMNS, LIVE, SORT_COLUMNS, workspace, request, PgFunctionStore::toFunction);
  }

  @Override
  public Future<FunctionDef> update(String workspace, String id, FunctionDraft draft, String actor, Instant now) {
    Tuple row = Tuple.tuple().addString(workspace).addString(id).addString(draft.name())
      .addString(draft.description()).addString(draft.runtime()).addString(draft.url()).addString(draft.queue())
      .addValue(draft.headers()).addInteger(draft.timeoutMs()).addValue(PgTime.toPg(now)).addString(actor);
    return pool.preparedQuery("UPDATE functions SET name = $3, description = $4, runtime = $5, url = $6, queue = $7, "
        + "headers = $8, timeout_ms = $9, updated_at = $10, updated_by = $11 WHERE workspace = $1 AND id = $2 "
        + "AND deleted_at IS NULL RETURNING " + COLUMNS).execute(row)
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(ApiException.notFound("Function not found"))
        : Future.succeededFuture(toFunction(rows.iterator().next())));
  }

  /**
   * Locks the function row, checks that no live orchestration calls it and deletes it, in one transaction. An
   * orchestration write that calls the function holds a share lock on the same row (see PgOrchestrationStore), so
   * whichever commits second sees the other: never an orchestration calling a deleted function.
   */
  @Override
  public Future<Boolean> delete(String workspace, String id, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id" + LIVE + "AND id = $2 FOR UPDATE")
      .execute(Tuple.of(workspace, id))
      .compose(found -> found.size() == 0 ? Future.succeededFuture(false) : callers(conn, workspace, id)
        .compose(slugs -> slugs.isEmpty() ? conn.preparedQuery("UPDATE functions SET deleted_at = $3 WHERE id = $2 "
            + "AND workspace = $1").execute(Tuple.of(workspace, id, PgTime.toPg(now))).map(true)
          : Future.failedFuture(ApiException.conflict("Function is used by orchestration(s) "
            + String.join(", ", slugs))))));
  }

  /** Slugs of the live orchestrations whose current steps call the function, sorted. */
  private static Future<List<String>> callers(SqlConnection conn, String workspace, String functionId) {
    JsonArray probe = new JsonArray().add(new JsonObject().put("functionId", functionId));
    return conn.preparedQuery("SELECT slug FROM orchestrations WHERE workspace = $1 AND deleted_at IS NULL "
        + "AND steps @> $2 ORDER BY slug").execute(Tuple.of(workspace, probe))
      .map(rows -> {
        List<String> slugs = new ArrayList<>();
        rows.forEach(r -> slugs.add(r.getString(0)));
        return slugs;
      });
  }

  @Override
  public Future<Set<String>> existingIds(String workspace, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery("SELECT id" + LIVE + "AND id = ANY($2)")
      .execute(Tuple.tuple().addString(workspace).addArrayOfString(ids.toArray(new String[0])))
      .map(rows -> {
        Set<String> found = new HashSet<>();
        rows.forEach(r -> found.add(r.getString(0)));
        return found;
      });
  }

  private static FunctionDef toFunction(Row r) {
    return new FunctionDef(r.getString("id"), r.getString("workspace"), r.getString("name"),
      r.getString("description"), r.getString("runtime"), r.getString("url"), r.getString("queue"),
      (JsonObject) r.getValue("headers"), r.getInteger("timeout_ms"), r.getString("signing_secret"),
      PgTime.instant(r, "created_at"), PgTime.instant(r, "updated_at"), r.getString("created_by"),
      r.getString("updated_by"));
  }
}
