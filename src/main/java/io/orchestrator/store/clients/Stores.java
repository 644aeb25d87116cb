package io.orchestrator.store.clients;

import io.orchestrator.config.AppConfig;
import io.orchestrator.store.embedded.EmbeddedServers;
import io.orchestrator.store.redis.GuardedRedis;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.MigrationSummary;
import io.orchestrator.store.redis.PartitionMigration;
import io.orchestrator.store.redis.PipelinedRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The process's one PostgreSQL pool and one Redis client, with embedded servers behind them when unconfigured. With
 * {@code ORCH_REDIS_MODE=cluster} the Redis clients are Redis Cluster clients seeded with every node of
 * {@code ORCH_REDIS_URL}; they route each command by its keys' slot and follow MOVED/ASK redirects, always to
 * masters (replicas are never read: the engine reads its own writes). On one server, each event loop sends its
 * commands pipelined on a connection of its own ({@link PipelinedRedis}).
 */
public final class Stores {

  /** Pooled connections per Redis server (per master on a cluster). */
  private static final int REDIS_POOL_SIZE = 32;

  public final Pool pool;
  public final Redis redis;
  private final RedisAPI redisApi;
  public final String pgDescription;
  public final String redisDescription;
  private final String redisUrl;
  private final boolean redisCluster;
  private final EmbeddedServers embedded;

  private Stores(Pool pool, Redis redis, String redisUrl, boolean redisCluster, String pgDescription,
                 String redisDescription, EmbeddedServers embedded) {
    this.pool = pool;
    this.redisUrl = redisUrl;
    this.redisCluster = redisCluster;
    this.redis = redis;
    this.redisApi = RedisAPI.api(redis);
    this.pgDescription = pgDescription;
    this.redisDescription = redisDescription;
    this.embedded = embedded;
  }

  public static Future<Stores> open(Vertx vertx, AppConfig.Stores config) {
    EmbeddedServers embedded = new EmbeddedServers();
    return vertx.executeBlocking(() -> {
      String pg = config.embeddedPg() ? embedded.startPostgres(config.dataDir()) : config.pgUrl();
      String redis = config.embeddedRedis() ? embedded.startRedis(config.dataDir()) : config.redisUrl();
      return List.of(pg, redis);
    }).map(urls -> {
      int timeoutMs = (int) config.timeout().toMillis();
      // a pool that cannot get a connection in time fails the query (503) instead of queueing it for 30 s
      Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.pgPoolSize()).setShared(true).setName("orchestrator")
          .setConnectionTimeout(timeoutMs).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
          .setIdleTimeout(timeoutMs / 2).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
          .setPoolCleanerPeriod(Math.max(50, timeoutMs / 4)))
        .with(answerWithin(timeoutMs))
        .connectingTo(PgConnectOptions.fromUri(urls.get(0)).setCachePreparedStatements(true)
          .setPreparedStatementCacheMaxSize(512))
        .using(vertx).build();
      // the embedded Redis is one server whatever the mode says (the config refuses cluster mode without a URL)
      boolean cluster = config.redisCluster() && !config.embeddedRedis();
      Redis redis = storeClient(vertx, urls.get(1), cluster, timeoutMs);
      return new Stores(pool, redis, urls.get(1), cluster, describe(urls.get(0), config.embeddedPg()),
        (cluster ? "cluster " : "") + describe(urls.get(1), config.embeddedRedis()), embedded);
    });
  }

  /**
   * The Redis client the stores share: pipelined per event loop on one server, pooled on a cluster; its outages
   * named ({@link GuardedRedis}) and its store timeout enforced.
   */
  public static Redis storeClient(Vertx vertx, String url, boolean cluster, int timeoutMs) {
    // A cluster command borrows a connection from every master's pool and sends on one: keep the commands in
    // flight fewer than a pool holds, with room for the client's slot refreshes and held connections (RedisNodes).
    // The connections it does not send on are borrowed and returned again and again with nothing read on them, so
    // the pool never retires them as idle and a silence limit would close them under the next command routed
    // there ("Connection is closed", a 503): on a cluster the store timeout is a timer per command instead.
    NetClientOptions net = cluster ? new NetClientOptions().setConnectTimeout(timeoutMs) : answerWithin(timeoutMs);
    RedisOptions options = redisOptions(url, cluster).setNetClientOptions(net)
      .setPoolRecycleTimeout(timeoutMs / 2).setPoolCleanerInterval(Math.max(50, timeoutMs / 4));
    return cluster
      ? new GuardedRedis(Redis.createClient(vertx, options), true, REDIS_POOL_SIZE - 8, timeoutMs)
      : new GuardedRedis(new PipelinedRedis(vertx, Redis.createClient(vertx, options),
        Redis.createClient(vertx, options), timeoutMs));
  }

  /**
   * Pooled connections on which nothing arrives for {@code timeoutMs} are closed, which fails what they carry: a
   * store that accepts connections but never answers (a hung server, a black-holed network) costs each request at
   * most the store timeout, with no timer per command. The pools retire idle connections after half that, so an
   * idle connection is never the one closed.
   */
  private static NetClientOptions answerWithin(int timeoutMs) {
    return new NetClientOptions().setConnectTimeout(timeoutMs).setReadIdleTimeout(timeoutMs)
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * A second client on the same server, for connections that leave the pool (pub/sub, blocking reads): without the
   * silence limit (they wait by design), with outages named like the pooled client's.
   */
  public Redis newRedisClient(Vertx vertx) {
    return new GuardedRedis(Redis.createClient(vertx, redisOptions(redisUrl, redisCluster)), redisCluster);
  }

  /**
   * Runs {@code migrate-partitions} ({@link PartitionMigration}) on a client of its own of the server at {@code url}
   * (one server, or a Redis Cluster's seed nodes), closed afterwards.
   */
  public static Future<MigrationSummary> migratePartitions(Vertx vertx, String url, boolean cluster,
                                                           Keyspace keyspace) {
    Redis redis = new GuardedRedis(Redis.createClient(vertx, redisOptions(url, cluster)), cluster);
    return new PartitionMigration(redis, keyspace).run().eventually(redis::close);
  }

  /** Whether the Redis clients talk to a Redis Cluster ({@code ORCH_REDIS_MODE=cluster}). */
  public boolean redisCluster() {
    return redisCluster;
  }

  /**
   * @param url one URL, or in cluster mode the comma-separated seed nodes (any one that answers tells the client
   *            the whole topology)
   */
  static RedisOptions redisOptions(String url, boolean cluster) {
    RedisOptions options = new RedisOptions().setMaxPoolSize(REDIS_POOL_SIZE).setMaxPoolWaiting(100_000)
      .setMaxWaitingHandlers(100_000);
    if (!cluster) {
      return options.setConnectionString(url);
    }
    options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
    for (String seed : url.split(",")) {
      if (!seed.isBlank()) {
        options.addConnectionString(seed.trim());
      }
    }
    return options;
  }

  public Future<Void> pingPostgres() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  public Future<Void> pingRedis() {
    return redisApi.ping(List.of()).mapEmpty();
  }

  public Future<Void> close(Vertx vertx) {
    return Future.join(pool.close(), Future.succeededFuture().andThen(v -> redis.close()))
      .compose(v -> vertx.executeBlocking(() -> {
        embedded.close();
        return null;
      })).mapEmpty();
  }

  /** host:port/db without credentials, for the start-up line (each seed node's, for a cluster). */
  private static String describe(String urls, boolean embedded) {
    List<String> described = new java.util.ArrayList<>();
    for (String url : urls.split(",")) {
      described.add(describeOne(url.trim(), embedded));
    }
    return String.join(",", described);
  }

  private static String describeOne(String url, boolean embedded) {
    String withoutScheme = url.replaceFirst("^[a-z]+://", "");
    String hostPart = withoutScheme.contains("@") ? withoutScheme.substring(withoutScheme.indexOf('@') + 1)
      : withoutScheme;
    return (embedded ? "embedded " : "") + hostPart.replaceFirst("\\?.*$", "");
  }
}
