package io.orchestrator.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads and writes that span partitions: one call per partition, all in flight at once (on a cluster, each goes to
 * its partition's shard), the answers combined in partition order.
 */
final class Fanout {

  private Fanout() {
  }

  /** {@code call} on every partition's keys; the answers by partition number. */
  static <T> Future<List<T>> each(Keyspace keyspace, Function<RedisKeys, Future<T>> call) {
    List<Future<T>> calls = new ArrayList<>(keyspace.all().size());
    keyspace.all().forEach(keys -> calls.add(call.apply(keys)));
    return Future.all(calls).map(done -> calls.stream().map(Future::result).toList());
  }

  /** {@code call} on the ids of each partition, in their given order; only partitions with ids are called. */
  static <T> Future<List<T>> byPartition(Keyspace keyspace, List<String> ids,
                                         BiFunction<RedisKeys, List<String>, Future<T>> call) {
    Map<Integer, List<String>> grouped = new LinkedHashMap<>();
    ids.forEach(id -> grouped.computeIfAbsent(keyspace.partitions().of(id), p -> new ArrayList<>()).add(id));
    List<Future<T>> calls = new ArrayList<>(grouped.size());
    grouped.forEach((partition, partIds) -> calls.add(call.apply(keyspace.partition(partition), partIds)));
    return Future.all(calls).map(done -> calls.stream().map(Future::result).toList());
  }

  static Future<Integer> sumInts(Future<List<Integer>> counts) {
    return counts.map(all -> all.stream().mapToInt(Integer::intValue).sum());
  }

  static Future<Long> sumLongs(Future<List<Long>> counts) {
    return counts.map(all -> all.stream().mapToLong(Long::longValue).sum());
  }

  /** The earliest of the partitions' answers. */
  static Future<Optional<Long>> earliest(Future<List<Optional<Long>>> times) {
    return times.map(all -> all.stream().flatMap(Optional::stream).min(Long::compare));
  }

  /** The score of a {@code ZRANGE key 0 0 WITHSCORES} reply: RESP3 [[member, score]], RESP2 [member, score]. */
  static Optional<Long> firstScore(Response reply) {
    if (reply == null || reply.size() == 0) {
      return Optional.empty();
    }
    Response first = reply.get(0);
    Response score = first.type() == ResponseType.MULTI ? first.get(1) : reply.get(1);
    return Optional.of(Math.round(score.toDouble()));
  }

  /** Member → score pairs of a WITHSCORES reply, in reply order (RESP3 nested pairs or the RESP2 flat array). */
  static List<Map.Entry<String, Long>> scored(Response reply) {
    List<Map.Entry<String, Long>> pairs = new ArrayList<>();
    if (reply == null || reply.size() == 0) {
      return pairs;
    }
    if (reply.get(0).type() == ResponseType.MULTI) {
      reply.forEach(pair -> pairs.add(Map.entry(pair.get(0).toString(), Math.round(pair.get(1).toDouble()))));
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        pairs.add(Map.entry(reply.get(i).toString(), Math.round(reply.get(i + 1).toDouble())));
      }
    }
    return pairs;
  }
}
