package io.orchestrator.store.pg;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationDraft;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.validation.Problems;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link OrchestrationStore} on PostgreSQL: the live row plus one immutable row per version. */
public final class PgOrchestrationStore implements OrchestrationStore {

  private static final String COLUMNS = "id, workspace, slug, name, description, version, is_active, trigger, steps, "
    + "created_at, created_by, updated_at, updated_by";
  private static final String LIVE = " FROM orchestrations WHERE workspace = $1 AND deleted_at IS NULL ";
  private static final String BY_REF = LIVE + "AND (id = $2 OR slug = $2)";
  private static final Map<String, String> SORT_COLUMNS =
    Map.of("createdAt", "created_at", "updatedAt", "updated_at", "name", "name", "slug", "slug");

  private final Pool pool;

  public PgOrchestrationStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Orchestration> insert(String workspace, String id, String slug, OrchestrationDraft draft,
                                      String actor, Instant now) {
    Tuple row = Tuple.tuple().addString(id).addString(workspace).addString(slug).addString(draft.name())
      .addString(draft.description()).addBoolean(draft.active()).addValue(draft.trigger())
      .addValue(draft.steps()).addString(draft.httpPath()).addValue(PgTime.toPg(now)).addString(actor);
    return pool.withTransaction(conn -> lockCalledFunctions(conn, workspace, draft.steps())
        .compose(v -> conn.preparedQuery("INSERT INTO orchestrations (id, workspace, slug, name, description, "
            + "version, is_active, trigger, steps, http_path, created_at, created_by, updated_at, updated_by) "
            + "VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $10, $11) RETURNING " + COLUMNS)
          .execute(row))
        .compose(rows -> insertVersion(conn, id, 1, draft, actor, now).map(rows.iterator().next())))
      .map(PgOrchestrationStore::toOrchestration)
      .recover(e -> conflicts(e, slug, draft));
  }

  @Override
  public Future<Optional<Orchestration>> find(String workspace, String ref) {
    return pool.preparedQuery("SELECT " + COLUMNS + BY_REF).execute(Tuple.of(workspace, ref))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toOrchestration(rows.iterator().next())));
  }

  @Override
  public Future<Page<Orchestration>> list(String workspace, PageRequest request) {
    return PgPages.page(pool, COLUMNS, LIVE, SORT_COLUMNS, workspace, request, PgOrchestrationStore::toOrchestration);
  }

  @Override
  public Future<Orchestration> update(String workspace, String ref, Set<Integer> acceptedVersions,
                                      OrchestrationDraft draft, String actor, Instant now) {
    return pool.<Orchestration>withTransaction(conn -> conn.preparedQuery("SELECT id, slug, version" + BY_REF
          + " FOR UPDATE").execute(Tuple.of(workspace, ref))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiException.notFound("Orchestration not found"));
          }
          Row current = rows.iterator().next();
          int version = current.getInteger("version");
          if (acceptedVersions != null && !acceptedVersions.contains(version)) {
            return Future.failedFuture(ApiException.preconditionFailed("Orchestration is at version " + version
              + " (ETag \"" + version + "\"), which If-Match does not name"));
          }
          return lockCalledFunctions(conn, workspace, draft.steps())
            .compose(v -> replace(conn, current.getString("id"), version + 1, draft, actor, now));
        }))
      .recover(e -> conflicts(e, null, draft));
  }

  private Future<Orchestration> replace(SqlConnection conn, String id, int version, OrchestrationDraft draft,
                                        String actor, Instant now) {
    Tuple row = Tuple.tuple().addString(id).addInteger(version).addString(draft.name())
      .addString(draft.description()).addBoolean(draft.active()).addValue(draft.trigger())
      .addValue(draft.steps()).addString(draft.httpPath()).addValue(PgTime.toPg(now)).addString(actor);
    return conn.preparedQuery("UPDATE orchestrations SET version = $2, name = $3, description = $4, is_active = $5, "
        + "trigger = $6, steps = $7, http_path = $8, updated_at = $9, updated_by = $10 WHERE id = $1 RETURNING "
        + COLUMNS).execute(row)
      .compose(rows -> insertVersion(conn, id, version, draft, actor, now).map(toOrchestration(rows.iterator().next())));
  }

  @Override
  public Future<Boolean> delete(String workspace, String ref, Instant now) {
    return pool.preparedQuery("UPDATE orchestrations SET deleted_at = $3 WHERE workspace = $1 AND deleted_at IS NULL "
        + "AND (id = $2 OR slug = $2)").execute(Tuple.of(workspace, ref, PgTime.toPg(now)))
      .map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Optional<Orchestration>> findVersion(String workspace, String id, int version) {
    return pool.preparedQuery("SELECT o.id, o.workspace, o.slug, v.name, v.description, v.version, v.is_active, "
        + "v.trigger, v.steps, o.created_at, o.created_by, v.created_at AS updated_at, v.created_by AS updated_by "
        + "FROM orchestrations o JOIN orchestration_versions v ON v.orchestration_id = o.id "
        + "WHERE o.workspace = $1 AND o.id = $2 AND v.version = $3").execute(Tuple.of(workspace, id, version))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toOrchestration(rows.iterator().next())));
  }

  /**
   * One round trip: the orchestration row answers whether the id is the workspace's (no row → empty) and carries the
   * exact count of its versions, so a page past the end still has its total.
   */
  @Override
  public Future<Optional<Page<Orchestration>>> listVersions(String workspace, String id, int page, int pageSize) {
    return pool.preparedQuery("SELECT o.id, o.workspace, o.slug, v.name, v.description, v.version, v.is_active, "
        + "v.trigger, v.steps, o.created_at, o.created_by, v.created_at AS updated_at, v.created_by AS updated_by, "
        + "(SELECT count(*) FROM orchestration_versions c WHERE c.orchestration_id = o.id) AS total "
        + "FROM orchestrations o LEFT JOIN LATERAL (SELECT * FROM orchestration_versions w "
        + "WHERE w.orchestration_id = o.id ORDER BY w.version DESC LIMIT $3 OFFSET $4) v ON true "
        + "WHERE o.workspace = $1 AND o.id = $2 ORDER BY v.version DESC")
      .execute(Tuple.of(workspace, id, pageSize, (long) (page - 1) * pageSize))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        List<Orchestration> versions = new ArrayList<>();
        long total = 0;
        for (Row row : rows) {
          total = row.getLong("total");
          if (row.getInteger("version") != null) {
            versions.add(toOrchestration(row));
          }
        }
        return Optional.of(new Page<>(versions, total, page, pageSize));
      });
  }

  @Override
  public Future<List<Orchestration>> activeByTriggerType(String workspace, String triggerType) {
    return pool.preparedQuery("SELECT " + COLUMNS + LIVE + "AND is_active AND trigger->>'type' = $2 ORDER BY id")
      .execute(Tuple.of(workspace, triggerType)).map(PgOrchestrationStore::toList);
  }

  @Override
  public Future<Optional<Orchestration>> findByHttpPath(String workspace, String path) {
    return pool.preparedQuery("SELECT " + COLUMNS + LIVE + "AND http_path = $2").execute(Tuple.of(workspace, path))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toOrchestration(rows.iterator().next())));
  }

  @Override
  public Future<List<Orchestration>> allActiveScheduled() {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM orchestrations WHERE deleted_at IS NULL AND is_active "
      + "AND trigger->>'type' = 'scheduled' ORDER BY id").execute().map(PgOrchestrationStore::toList);
  }

  @Override
  public Future<List<Orchestration>> findLiveByIds(Set<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM orchestrations WHERE deleted_at IS NULL AND id = ANY($1)")
      .execute(Tuple.of(ids.toArray(new String[0]))).map(PgOrchestrationStore::toList);
  }

  private static List<Orchestration> toList(RowSet<Row> rows) {
    List<Orchestration> list = new ArrayList<>();
    rows.forEach(r -> list.add(toOrchestration(r)));
    return list;
  }

  /**
   * Takes a share lock on every function the steps call, inside the write's transaction, and fails with a 400 for
   * any that is gone. A function delete locks the same row for update (PgFunctionStore), so with the two racing,
   * either the delete waits for this write and then finds the orchestration calling it (409), or it commits first
   * and this write finds the function deleted: an orchestration never ends up calling a deleted function.
   */
  private static Future<Void> lockCalledFunctions(SqlConnection conn, String workspace, JsonArray steps) {
    Map<String, List<String>> callers = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.getValue(i) instanceof JsonObject step && "compute".equals(step.getValue("type"))
        && step.getValue("functionId") instanceof String functionId) {
        callers.computeIfAbsent(functionId, f -> new ArrayList<>())
          .add(Problems.path(Problems.path("steps", i), "functionId"));
      }
    }
    if (callers.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("SELECT id FROM functions WHERE workspace = $1 AND id = ANY($2) AND deleted_at IS NULL "
        + "FOR SHARE").execute(Tuple.tuple().addString(workspace).addArrayOfString(callers.keySet()
        .toArray(new String[0])))
      .compose(rows -> {
        rows.forEach(r -> callers.remove(r.getString(0)));
        List<FieldError> gone = new ArrayList<>();
        callers.forEach((functionId, fields) -> fields.forEach(field ->
          gone.add(new FieldError(field, "function '" + functionId + "' does not exist in this workspace"))));
        return gone.isEmpty() ? Future.<Void>succeededFuture()
          : Future.failedFuture(ApiException.validation("Invalid request body", gone));
      });
  }

  private static Future<Void> insertVersion(SqlConnection conn, String id, int version, OrchestrationDraft draft,
                                            String actor, Instant now) {
    Tuple row = Tuple.tuple().addString(id).addInteger(version).addString(draft.name())
      .addString(draft.description()).addBoolean(draft.active()).addValue(draft.trigger())
      .addValue(draft.steps()).addValue(PgTime.toPg(now)).addString(actor);
    return conn.preparedQuery("INSERT INTO orchestration_versions (orchestration_id, version, name, description, "
      + "is_active, trigger, steps, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
      .execute(row).mapEmpty();
  }

  private static <T> Future<T> conflicts(Throwable e, String slug, OrchestrationDraft draft) {
    if (slug != null && isConstraint(e, "orchestrations_live_slug")) {
      return PgErrors.uniqueAsConflict(e, "orchestrations_live_slug",
        "Orchestration with slug '" + slug + "' already exists");
    }
    return PgErrors.uniqueAsConflict(e, "orchestrations_live_http_path",
      "An orchestration with http-trigger path '" + draft.httpPath() + "' already exists");
  }

  private static boolean isConstraint(Throwable e, String name) {
    return e instanceof PgException pg && name.equals(pg.getConstraint());
  }

  private static Orchestration toOrchestration(Row r) {
    return new Orchestration(r.getString("id"), r.getString("workspace"), r.getString("slug"), r.getString("name"),
      r.getString("description"), r.getInteger("version"), r.getBoolean("is_active"),
      (JsonObject) r.getValue("trigger"), (JsonArray) r.getValue("steps"), PgTime.instant(r, "created_at"),
      PgTime.instant(r, "updated_at"), r.getString("created_by"), r.getString("updated_by"));
  }
}
