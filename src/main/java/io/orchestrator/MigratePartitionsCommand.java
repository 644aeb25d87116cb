package io.orchestrator;

import io.orchestrator.common.Partitions;
import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigException;
import io.orchestrator.config.ConfigLoader;
import io.orchestrator.store.clients.Stores;
import io.orchestrator.store.embedded.EmbeddedServers;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.MigrationSummary;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code migrate-partitions}: moves a single-tag deployment's Redis data into the partitioned layout (DESIGN.md §11,
 * README "Upgrading to partitions") with the service's own ORCH_REDIS_* and ORCH_PARTITIONS settings. Run it once
 * with every instance stopped; running it again changes nothing.
 */
final class MigratePartitionsCommand {

  private static final long TIMEOUT_HOURS = 12;

  private MigratePartitionsCommand() {
  }

  static int run() {
    return run(System.getenv(), System.out, System.err);
  }

  /** The command against an explicit environment and streams; returns the process exit code. */
  static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    AppConfig config = ConfigLoader.load(env);
    AppConfig.Stores stores = config.stores();
    Keyspace keyspace = new Keyspace(stores.redisPrefix(), new Partitions(stores.partitions()),
      config.triggers().eventStream());
    Vertx vertx = Vertx.vertx();
    try (EmbeddedServers embedded = new EmbeddedServers()) {
      String url = stores.embeddedRedis() ? embedded.startRedis(stores.dataDir()) : stores.redisUrl();
      out.println("migrating Redis keys " + keyspace.legacy().prefix() + "… into " + keyspace.partitions());
      MigrationSummary summary = Stores.migratePartitions(vertx, url, stores.redisCluster() && !stores.embeddedRedis(),
          keyspace)
        .toCompletionStage().toCompletableFuture().get(TIMEOUT_HOURS, TimeUnit.HOURS);
      out.println(summary.nothingMoved() ? "nothing to migrate (already partitioned); moved:" : "moved:");
      out.print(summary.describe());
      out.println("partitions recorded: " + keyspace.partitions().count() + "; start the new version now");
      return 0;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ConfigException refused) {
        throw refused;
      }
      err.println("migration failed (run it again to continue; nothing is lost): " + e.getCause());
      return 1;
    } catch (Exception e) {
      err.println("migration failed (run it again to continue; nothing is lost): " + e);
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }
}
