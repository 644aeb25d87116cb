package io.orchestrator.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start when the Redis the service talks to would lose acknowledged runs in a crash: no persistence at
 * all (no AOF, no RDB snapshots) or an AOF that Redis never asks the OS to flush ({@code appendfsync no}). Managed
 * Redis services often refuse {@code CONFIG}: then nothing is said. On a Redis Cluster every master is asked and
 * each setting counts at its least safe value among them (the check warns when any shard would lose runs; an odd mix
 * such as one master without AOF and another without save points reads as "persistence off").
 */
public final class RedisPersistenceCheck {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPersistenceCheck.class);

  private RedisPersistenceCheck() {
  }

  /** Completes when the check is done; never fails. */
  public static Future<Void> warnIfUnsafe(Redis redis) {
    return Future.all(config(redis, "appendonly"), config(redis, "appendfsync"), config(redis, "save"))
      .onSuccess(all -> {
        String appendOnly = all.resultAt(0);
        String fsync = all.resultAt(1);
        String save = all.resultAt(2);
        if ("no".equals(appendOnly) && save.isBlank()) {
          LOG.warn("Redis has persistence off (appendonly no, no save points): a Redis restart loses every run in "
            + "flight. Use redis/redis.conf (appendonly yes, appendfsync everysec)");
        } else if ("no".equals(appendOnly)) {
          LOG.warn("Redis has no AOF (appendonly no): a Redis crash loses the runs since its last RDB snapshot. "
            + "Use redis/redis.conf (appendonly yes, appendfsync everysec)");
        } else if ("no".equals(fsync)) {
          LOG.warn("Redis has appendfsync no: an OS crash or power loss can lose ~30 s of acknowledged runs. "
            + "Use appendfsync everysec (at most 1 s) or always");
        }
      })
      .onFailure(e -> LOG.debug("cannot read Redis's persistence settings (CONFIG refused?): {}", e.getMessage()))
      .otherwiseEmpty().mapEmpty();
  }

  /** The parameter's value, or on a cluster its least safe value among the masters ("no", else ""). */
  private static Future<String> config(Redis redis, String parameter) {
    return RedisNodes.everyMaster(redis, Request.cmd(Command.CONFIG).arg("GET").arg(parameter))
      .map(replies -> {
        List<String> values = replies.stream().map(reply -> value(reply, parameter)).toList();
        return values.contains("no") ? "no" : values.contains("") ? "" : values.get(0);
      });
  }

  /** CONFIG GET answers a flat [name, value] array (RESP2) or a map (RESP3). */
  private static String value(Response reply, String parameter) {
    if (reply == null) {
      return "";
    }
    if (reply.containsKey(parameter)) {
      return reply.get(parameter).toString();
    }
    return reply.size() >= 2 ? reply.get(1).toString() : "";
  }
}
