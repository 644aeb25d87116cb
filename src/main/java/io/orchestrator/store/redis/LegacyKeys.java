package io.orchestrator.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the keys of the single-tag layout ({@link Keyspace#legacy()}), for {@link PartitionMigration}. On one Redis
 * by {@code SCAN … MATCH {<prefix>}:*}; on a Redis Cluster every such key is in the one slot of the tag, so its keys
 * are read with {@code CLUSTER GETKEYSINSLOT} from every master (only the slot's owner answers with keys). The meta
 * hash shares the tag and is left out.
 */
final class LegacyKeys {

  private static final int SCAN_COUNT = 1000;

  private LegacyKeys() {
  }

  static Future<List<String>> list(Redis redis, Keyspace keyspace) {
    String prefix = keyspace.legacy().prefix();
    Future<List<String>> all = redis instanceof GuardedRedis guarded && guarded.cluster()
      ? inSlot(redis, HashSlots.ofTag(prefix.substring(1, prefix.length() - 2)))
      : scan(redis, globEscape(prefix) + "*");
    return all.map(keys -> keys.stream().filter(key -> key.startsWith(prefix) && !key.equals(keyspace.meta()))
      .distinct().toList());
  }

  private static Future<List<String>> scan(Redis redis, String pattern) {
    Promise<List<String>> done = Promise.promise();
    scanFrom(redis, pattern, "0", new ArrayList<>(), done);
    return done.future();
  }

  private static void scanFrom(Redis redis, String pattern, String cursor, List<String> found,
                               Promise<List<String>> done) {
    redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(SCAN_COUNT))
      .onFailure(done::fail)
      .onSuccess(reply -> {
        reply.get(1).forEach(key -> found.add(key.toString()));
        String next = reply.get(0).toString();
        if (next.equals("0")) {
          done.complete(found);
        } else {
          scanFrom(redis, pattern, next, found, done);
        }
      });
  }

  private static Future<List<String>> inSlot(Redis redis, int slot) {
    return RedisNodes.everyMaster(redis, Request.cmd(Command.CLUSTER).arg("COUNTKEYSINSLOT").arg(slot))
      .map(counts -> counts.stream().mapToLong(Response::toLong).sum())
      .compose(count -> RedisNodes.everyMaster(redis, Request.cmd(Command.CLUSTER).arg("GETKEYSINSLOT").arg(slot)
        .arg(Math.max(1, count))))
      .map(replies -> {
        List<String> keys = new ArrayList<>();
        replies.forEach(reply -> reply.forEach(key -> keys.add(key.toString())));
        return keys;
      });
  }

  /** {@code text} as a glob matching itself only ({@code *?[]\} escaped). */
  static String globEscape(String text) {
    return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }
}
