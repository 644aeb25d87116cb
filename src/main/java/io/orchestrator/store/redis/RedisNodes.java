package io.orchestrator.store.redis;

import io.orchestrator.store.StoreFailures;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Commands that address a server rather than a key ({@code SCRIPT LOAD}, {@code CONFIG GET}). A cluster client
 * would send them to one node picked at random, so on a Redis Cluster ({@link GuardedRedis#cluster()}) they go to
 * every master instead; on one Redis they are sent as usual.
 */
public final class RedisNodes {

  private RedisNodes() {
  }

  /**
   * Sends {@code request} to the one server, or to every master of a Redis Cluster (on one dedicated connection,
   * closed afterwards).
   *
   * @return one reply per server; a failed future when any of them fails (outages named as by {@link GuardedRedis})
   */
  public static Future<List<Response>> everyMaster(Redis redis, Request request) {
    if (!(redis instanceof GuardedRedis guarded) || !guarded.cluster()) {
      return redis.send(request).map(List::of);
    }
    return redis.connect()
      .compose(conn -> RedisCluster.create(conn).onAllMasterNodes(request).andThen(done -> conn.close()))
      .recover(e -> Future.failedFuture(StoreFailures.fromRedis(e)));
  }
}
