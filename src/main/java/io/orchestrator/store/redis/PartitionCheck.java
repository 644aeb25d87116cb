package io.orchestrator.store.redis;

import io.orchestrator.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * The start-up check of DESIGN.md §11: the partition count is fixed for the life of a deployment. The first start
 * records it in the meta hash ({@link Keyspace#meta()}); every later start compares. Another count, or data still
 * in the single-tag layout of the versions before partitions, fails the start with a {@link ConfigException} that
 * says what to do (a configuration error: the service exits, where an outage would be waited out).
 */
public final class PartitionCheck {

  static final String FIELD = "partitions";
  /** Keys that exist in a single-tag deployment holding any run, schedule or worker task. */
  private static final List<String> LEGACY_QUEUES = List.of("ready", "timers", "leases", "unarchived", "expiry",
    "schedules", "tleases", "tqueues");

  private PartitionCheck() {
  }

  public static Future<Void> verify(Redis redis, Keyspace keyspace) {
    int configured = keyspace.partitions().count();
    Request legacy = Request.cmd(Command.EXISTS);
    LEGACY_QUEUES.forEach(queue -> legacy.arg(keyspace.legacy().prefix() + queue));
    return redis.send(legacy).compose(found -> {
      if (found.toInteger() > 0) {
        return Future.failedFuture(new ConfigException("Redis holds data of the single-tag layout (keys "
          + keyspace.legacy().prefix() + "…) written before partitions: stop every instance and run "
          + "`java -jar orchestrator.jar migrate-partitions` once (README, \"Upgrading to partitions\")"));
      }
      return redis.send(Request.cmd(Command.HSETNX).arg(keyspace.meta()).arg(FIELD).arg(configured))
        .compose(set -> redis.send(Request.cmd(Command.HGET).arg(keyspace.meta()).arg(FIELD)))
        .compose(stored -> {
          int written = Integer.parseInt(stored.toString());
          return written == configured ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ConfigException("ORCH_PARTITIONS is " + configured + " but this deployment's "
              + "Redis data was written with " + written + " partitions; the count is fixed for the life of a "
              + "deployment: start with ORCH_PARTITIONS=" + written));
        });
    });
  }
}
