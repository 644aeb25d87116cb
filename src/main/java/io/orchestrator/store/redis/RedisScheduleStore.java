package io.orchestrator.store.redis;

import io.orchestrator.triggers.schedule.ScheduleEntry;
import io.orchestrator.triggers.schedule.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ScheduleStore} on Redis: in each partition, the zset {@link RedisKeys#schedules()} orders orchestration ids
 * by next fire (or claim expiry) and a hash per orchestration, {@link RedisKeys#schedule}, holds the entry; an
 * orchestration's schedule lives in the partition its id hashes to. Every change is one Lua script of
 * {@code redis/}; times come from the injected clock.
 */
public final class RedisScheduleStore implements ScheduleStore {

  /** Scripts this store needs in its {@link ScriptRegistry}. */
  public static final List<String> SCRIPTS = Scripts.SCHEDULES;

  /** How long a removal's tombstone outranks late writes of older versions. */
  static final Duration TOMBSTONE_TTL = Duration.ofHours(24);

  private final Redis redis;
  private final ScriptRegistry scripts;
  private final Keyspace keyspace;
  private final Clock clock;
  private final String claimPrefix = UUID.randomUUID() + ":";
  private final AtomicLong claims = new AtomicLong();
  private final AtomicInteger firstPartition = new AtomicInteger();

  /** @param scripts a registry holding at least {@link #SCRIPTS} */
  public RedisScheduleStore(Redis redis, ScriptRegistry scripts, Keyspace keyspace, Clock clock) {
    this.redis = redis;
    this.scripts = scripts;
    this.keyspace = keyspace;
    this.clock = clock;
  }

  /** Loads the scripts, then builds the store. */
  public static Future<RedisScheduleStore> create(Vertx vertx, Redis redis, Keyspace keys, Clock clock) {
    return ScriptRegistry.load(vertx, redis, SCRIPTS).map(registry -> new RedisScheduleStore(redis, registry, keys,
      clock));
  }

  @Override
  public Future<Upsert> upsert(ScheduleEntry entry) {
    List<String> args = List.of(entry.orchestrationId(), str(entry.version()), entry.workspace(), entry.spec(),
      str(entry.anchorMs()), str(entry.scheduledForMs()), str(clock.millis()));
    return scripts.call(Scripts.UPSERT_SCHEDULE, keysOf(entry.orchestrationId()), args).map(reply ->
      switch (reply.toInteger()) {
        case 1 -> Upsert.ARMED;
        case 2 -> Upsert.KEPT;
        case 0 -> Upsert.IGNORED;
        default -> throw new IllegalStateException("unknown upsertSchedule return code " + reply);
      });
  }

  @Override
  public Future<Boolean> remove(String orchestrationId, int version) {
    return scripts.call(Scripts.REMOVE_SCHEDULE, keysOf(orchestrationId),
      List.of(orchestrationId, str(version), str(TOMBSTONE_TTL.toMillis()))).map(reply -> reply.toInteger() == 1);
  }

  /** Claims partition after partition, from one that turns with every claim, until {@code max} entries are taken. */
  @Override
  public Future<List<ScheduleEntry>> claimDue(int max, Duration lease, Duration lookahead) {
    if (max < 1) {
      return Future.succeededFuture(List.of());
    }
    String claim = claimPrefix + claims.incrementAndGet();
    List<String> args = List.of(str(clock.millis()), str(max), str(lease.toMillis()), claim,
      str(lookahead.toMillis()));
    return claimFrom(firstPartition.getAndIncrement(), 0, max, args, claim, new ArrayList<>());
  }

  private Future<List<ScheduleEntry>> claimFrom(int first, int visited, int max, List<String> args, String claim,
                                                List<ScheduleEntry> taken) {
    int count = keyspace.partitions().count();
    if (taken.size() >= max || visited >= count) {
      return Future.succeededFuture(taken);
    }
    RedisKeys keys = keyspace.partition(Math.floorMod(first + visited, count));
    List<String> partitionArgs = new ArrayList<>(args.size() + 1);
    partitionArgs.add(keys.prefix());
    partitionArgs.addAll(args);
    partitionArgs.set(2, str(max - taken.size()));
    return scripts.call(Scripts.CLAIM_DUE_SCHEDULES, List.of(keys.schedules()), partitionArgs)
      .compose(reply -> {
        reply.forEach(e -> taken.add(new ScheduleEntry(e.get(0).toString(), e.get(1).toString(),
          e.get(2).toInteger(), e.get(3).toString(), e.get(4).toLong(), e.get(5).toLong(), claim)));
        return claimFrom(first, visited + 1, max, args, claim, taken);
      });
  }

  @Override
  public Future<Advance> advance(ScheduleEntry claimed, Optional<Instant> next) {
    List<String> args = List.of(claimed.orchestrationId(), claimed.claim(),
      next.map(at -> str(at.toEpochMilli())).orElse(""), str(TOMBSTONE_TTL.toMillis()));
    return scripts.call(Scripts.ADVANCE_SCHEDULE, keysOf(claimed.orchestrationId()), args).map(reply ->
      switch (reply.toInteger()) {
        case 1 -> Advance.ADVANCED;
        case 2 -> Advance.REMOVED;
        case -1 -> Advance.NOT_FOUND;
        case -2 -> Advance.STALE;
        default -> throw new IllegalStateException("unknown advanceSchedule return code " + reply);
      });
  }

  @Override
  public Future<Optional<ScheduleEntry>> find(String orchestrationId) {
    return redis.send(Request.cmd(Command.HMGET).arg(keyspace.ofName(orchestrationId).schedule(orchestrationId))
      .arg("workspace").arg("version")
      .arg("spec").arg("anchor").arg("scheduledFor").arg("claim").arg("removed"))
      .map(f -> f.get(0) == null || f.get(6) != null ? Optional.empty()
        : Optional.of(new ScheduleEntry(orchestrationId, f.get(0).toString(), f.get(1).toInteger(),
          f.get(2).toString(), f.get(3).toLong(), f.get(4).toLong(), emptyToNull(f.get(5)))));
  }

  private static String emptyToNull(Response claim) {
    return claim == null || claim.toString().isEmpty() ? null : claim.toString();
  }

  @Override
  public Future<Optional<Long>> nextDue() {
    return Fanout.earliest(Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.ZRANGE).arg(keys.schedules())
      .arg(0).arg(0).arg("WITHSCORES")).map(Fanout::firstScore)));
  }

  private List<String> keysOf(String orchestrationId) {
    RedisKeys keys = keyspace.ofName(orchestrationId);
    return List.of(keys.schedules(), keys.schedule(orchestrationId));
  }

  private static String str(long value) {
    return Long.toString(value);
  }
}
