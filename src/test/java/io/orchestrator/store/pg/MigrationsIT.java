package io.orchestrator.store.pg;

import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("PostgreSQL migrations")
class MigrationsIT {

  /** The test server's own database (test in CI, postgres for the embedded server): fresh ones are created from it. */
  private static final String ADMIN_DATABASE = PgConnectOptions.fromUri(TestStores.pgUrl()).getDatabase();

  private static final List<String> TABLES =
    List.of("orchestrations", "orchestration_versions", "functions", "runs", "schema_migrations");

  private static Vertx vertx;
  private static Pool admin;
  private static final List<String> databases = new ArrayList<>();
  private static final List<Pool> pools = new ArrayList<>();

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    admin = pool(ADMIN_DATABASE, 1);
  }

  @AfterAll
  static void dropDatabases() {
    for (Pool pool : pools) {
      TestApp.await(pool.close());
    }
    for (String db : databases) {
      TestApp.await(admin.query("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").execute());
    }
    TestApp.await(vertx.close());
  }

  @Test
  @DisplayName("a fresh database gets every table and one schema_migrations row per script, in order")
  void freshDatabase() throws IOException {
    Pool pool = pool(createDatabase(), 2);

    TestApp.await(new Migrations(vertx, pool).migrate());

    assertThat(tables(pool)).containsAll(TABLES);
    List<String> applied = appliedScripts(pool);
    assertThat(applied).isEqualTo(scriptFiles());
    assertThat(versions(pool)).containsExactlyElementsOf(
      Stream.iterate(1, v -> v + 1).limit(applied.size()).toList());
  }

  @Test
  @DisplayName("migrating again (a restart) changes nothing and keeps the data")
  void idempotent() {
    String db = createDatabase();
    Pool pool = pool(db, 2);
    TestApp.await(new Migrations(vertx, pool).migrate());
    TestApp.await(pool.query("INSERT INTO functions (id, workspace, name, runtime, signing_secret, created_at, "
      + "created_by, updated_at, updated_by) VALUES ('func_1', 'ws', 'f', 'http', 'whsec_x', now(), 'u', now(), 'u')")
      .execute());
    List<Row> before = migrationRows(pool);

    TestApp.await(new Migrations(vertx, pool).migrate());
    Pool restarted = pool(db, 2);
    TestApp.await(new Migrations(vertx, restarted).migrate());

    List<Row> after = migrationRows(restarted);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).toJson()).isEqualTo(before.get(i).toJson());
    }
    assertThat(count(restarted, "SELECT count(*) FROM functions")).isEqualTo(1);
  }

  @Test
  @DisplayName("two instances migrating the same fresh database at once both succeed (advisory lock), once each script")
  void concurrent() {
    String db = createDatabase();
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      running.add(new Migrations(vertx, pool(db, 2)).migrate());
    }

    TestApp.await(Future.all(running));

    Pool pool = pool(db, 1);
    assertThat(tables(pool)).containsAll(TABLES);
    assertThat(count(pool, "SELECT count(*) FROM schema_migrations")).isEqualTo(appliedScripts(pool).size());
    assertThat(appliedScripts(pool)).doesNotHaveDuplicates().hasSize(scriptFiles().size());
  }

  @Test
  @DisplayName("the advisory lock is released after migrating: another session can take it at once")
  void lockReleased() {
    String db = createDatabase();
    Pool pool = pool(db, 1);
    TestApp.await(new Migrations(vertx, pool).migrate());

    Pool other = pool(db, 1);
    Row row = TestApp.await(other.query("SELECT pg_try_advisory_lock(" + 0x6f72636865737472L + ") AS got").execute())
      .iterator().next();

    assertThat(row.getBoolean("got")).isTrue();
  }

  private static List<String> scriptFiles() {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
        .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  private static String createDatabase() {
    String name = "orch_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    TestApp.await(admin.query("CREATE DATABASE " + name).execute());
    databases.add(name);
    return name;
  }

  private static Pool pool(String database, int size) {
    PgConnectOptions options = PgConnectOptions.fromUri(TestStores.pgUrl()).setDatabase(database);
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options).using(vertx).build();
    if (!database.equals(ADMIN_DATABASE)) {
      pools.add(pool);
    }
    return pool;
  }

  private static List<String> tables(Pool pool) {
    List<String> names = new ArrayList<>();
    TestApp.await(pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
      .execute()).forEach(r -> names.add(r.getString(0)));
    return names;
  }

  private static List<Row> migrationRows(Pool pool) {
    List<Row> rows = new ArrayList<>();
    TestApp.await(pool.query("SELECT version, script, applied_at FROM schema_migrations ORDER BY version").execute())
      .forEach(rows::add);
    return rows;
  }

  private static List<String> appliedScripts(Pool pool) {
    return migrationRows(pool).stream().map(r -> r.getString("script")).toList();
  }

  private static List<Integer> versions(Pool pool) {
    return migrationRows(pool).stream().map(r -> r.getInteger("version")).toList();
  }

  private static long count(Pool pool, String sql) {
    return TestApp.await(pool.query(sql).execute()).iterator().next().getLong(0);
  }
}
