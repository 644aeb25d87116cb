package io.orchestrator.store.pg;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned scripts under {@code db/migration} in order, each in its own transaction, and records them
 * in {@code schema_migrations}. A session advisory lock makes concurrent start-ups of several instances safe;
 * applied versions are skipped, so a restart changes nothing.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_KEY = 0x6f72636865737472L;
  private static final List<String> SCRIPTS = List.of("V1__definitions.sql", "V2__run_history.sql",
    "V3__run_filters.sql", "V4__bulk_operations.sql");

  private final Vertx vertx;
  private final Pool pool;

  public Migrations(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public Future<Void> migrate() {
    return pool.withConnection(conn -> conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute()
      .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
        + "script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").execute())
      .compose(v -> applyFrom(conn, 0))
      .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()));
  }

  private Future<Void> applyFrom(SqlConnection conn, int index) {
    if (index == SCRIPTS.size()) {
      return Future.succeededFuture();
    }
    String script = SCRIPTS.get(index);
    int version = index + 1;
    return conn.preparedQuery("SELECT 1 FROM schema_migrations WHERE version = $1").execute(Tuple.of(version))
      .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture() : apply(conn, version, script))
      .compose(v -> applyFrom(conn, index + 1));
  }

  private Future<Void> apply(SqlConnection conn, int version, String script) {
    return vertx.fileSystem().readFile("db/migration/" + script)
      .map(Buffer::toString)
      .compose(sql -> conn.begin().compose(tx -> conn.query(sql).execute()
        .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version, script) VALUES ($1, $2)")
          .execute(Tuple.of(version, script)))
        .compose(v -> tx.commit())
        .onFailure(e -> tx.rollback())))
      .onSuccess(v -> LOG.info("applied migration {}", script));
  }
}
