package io.orchestrator.store.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Zero set-up stores: PostgreSQL 15 and Redis started as child processes with their data under the data
 * directory, kept across restarts. Start and stop block; call them off the event loop.
 */
public final class EmbeddedServers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);
  public static final int PG_PORT = 54329;
  public static final int REDIS_PORT = 63799;

  private EmbeddedPostgres postgres;
  private RedisServer redis;

  /** Starts PostgreSQL and returns its URL. */
  public String startPostgres(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("postgres").toAbsolutePath();
    Files.createDirectories(dir);
    postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(PG_PORT)
      .start();
    LOG.info("embedded PostgreSQL started on port {} with data in {}", PG_PORT, dir);
    return "postgresql://postgres@127.0.0.1:" + PG_PORT + "/postgres";
  }

  /** Starts Redis with an append-only file and returns its URL. */
  public String startRedis(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("redis").toAbsolutePath();
    Files.createDirectories(dir);
    redis = RedisServer.newRedisServer().bind("127.0.0.1").port(REDIS_PORT)
      .setting("dir " + dir).setting("appendonly yes").setting("appendfsync everysec")
      .setting("daemonize no").build();
    redis.start();
    LOG.info("embedded Redis started on port {} with data in {}", REDIS_PORT, dir);
    return "redis://127.0.0.1:" + REDIS_PORT;
  }

  @Override
  public void close() {
    try {
      if (redis != null) {
        redis.stop();
      }
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      LOG.warn("embedded store did not stop cleanly: {}", e.getMessage());
    }
  }
}
