package io.orchestrator.bench;

import io.orchestrator.common.Partitions;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Redis keys of a bench's service, read the way the service lays them out (DESIGN.md §11): one {@link RedisKeys}
 * per partition of {@link Keyspace}, with the partition count the service was started with (ORCH_PARTITIONS), as its
 * start-up check recorded it in the meta hash. A service jar from before partitions (an A/B run against an older
 * commit) writes no meta hash and keeps everything under the single tag: then {@link Keyspace#legacy()} is the one
 * partition. So the keys must be read after the service has started.
 *
 * <p>As a main ({@code bench/lib.sh}'s {@code queue_keys}): {@code --redisUrl=… --prefix=… --suffix=…} prints
 * {@code <partition prefix><suffix>} for every partition, one key a line, e.g. {@code --suffix=ready}: every
 * partition's ready queue.
 */
final class BenchKeys {

  private final Keyspace keyspace;
  private final List<RedisKeys> partitions;

  private BenchKeys(Keyspace keyspace, List<RedisKeys> partitions) {
    this.keyspace = keyspace;
    this.partitions = partitions;
  }

  /** The keys of the service running under {@code prefix} (see the class comment: call it once the service runs). */
  static BenchKeys read(Redis redis, String prefix) {
    Keyspace probe = new Keyspace(prefix, new Partitions(1));
    Response count = BenchKit.await(redis.send(Request.cmd(Command.HGET).arg(probe.meta()).arg("partitions")));
    if (count == null) {
      return new BenchKeys(null, List.of(probe.legacy()));
    }
    Keyspace keyspace = new Keyspace(prefix, new Partitions(count.toInteger()));
    return new BenchKeys(keyspace, keyspace.all());
  }

  /** "16 partitions" or "single-tag layout (before partitions)". */
  String layout() {
    return keyspace == null ? "single-tag layout (before partitions)" : keyspace.partitions().toString();
  }

  /** Every partition's keys (one for the single-tag layout). */
  List<RedisKeys> all() {
    return partitions;
  }

  /** The keys of the partition a run or task id names. */
  RedisKeys of(String id) {
    return keyspace == null ? partitions.get(0) : keyspace.ofId(id);
  }

  /** The key {@code key} picks in each partition, e.g. {@code RedisKeys::ready}. */
  List<String> each(Function<RedisKeys, String> key) {
    List<String> out = new ArrayList<>(partitions.size());
    partitions.forEach(p -> out.add(key.apply(p)));
    return out;
  }

  /** One request per key of {@link #each}: {@code command key}, e.g. ZCARD of every partition's ready queue. */
  List<Request> each(Command command, Function<RedisKeys, String> key) {
    List<Request> out = new ArrayList<>(partitions.size());
    each(key).forEach(k -> out.add(Request.cmd(command).arg(k)));
    return out;
  }

  /** The sum of the integer replies of {@link #each(Command, Function)}, sent as one pipeline. */
  Future<Long> sum(Redis redis, Command command, Function<RedisKeys, String> key) {
    return redis.batch(each(command, key)).map(replies -> {
      long total = 0;
      for (Response r : replies) {
        total += r == null ? 0 : r.toLong();
      }
      return total;
    });
  }

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, BenchKit.need(args, "redisUrl"));
    BenchKeys keys = read(redis, BenchKit.need(args, "prefix"));
    String suffix = BenchKit.need(args, "suffix");
    keys.each(p -> p.prefix() + suffix).forEach(System.out::println);
    System.exit(0);
  }
}
