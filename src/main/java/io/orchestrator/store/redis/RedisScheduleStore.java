package io.orchestrator.store.redis;

import io.orchestrator.triggers.schedule.ScheduleEntry;
import io.orchestrator.triggers.schedule.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ScheduleStore} on Redis: the zset {@link RedisKeys#schedules()} orders orchestration ids by next fire (or
 * claim expiry) and a hash per orchestration, {@link RedisKeys#schedule}, holds the entry. Every change is one Lua
 * script of {@code redis/}; times come from the injected clock.
 */
public final class RedisScheduleStore implements ScheduleStore {

  /** Scripts this store needs in its {@link ScriptRegistry}. */
  public static final List<String> SCRIPTS = Scripts.SCHEDULES;

  /** How long a removal's tombstone outranks late writes of older versions. */
  static final Duration TOMBSTONE_TTL = Duration.ofHours(24);

  private final Redis redis;
  private final ScriptRegistry scripts;
  private final RedisKeys keys;
  private final Clock clock;
  private final String claimPrefix = UUID.randomUUID() + ":";
  private final AtomicLong claims = new AtomicLong();

  /** @param scripts a registry holding at least {@link #SCRIPTS} */
  public RedisScheduleStore(Redis redis, ScriptRegistry scripts, RedisKeys keys, Clock clock) {
    this.redis = redis;
    this.scripts = scripts;
    this.keys = keys;
    this.clock = clock;
  }

  /** Loads the scripts, then builds the store. */
  public static Future<RedisScheduleStore> create(Vertx vertx, Redis redis, RedisKeys keys, Clock clock) {
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

  @Override
  public Future<List<ScheduleEntry>> claimDue(int max, Duration lease, Duration lookahead) {
    if (max < 1) {
      return Future.succeededFuture(List.of());
    }
    String claim = claimPrefix + claims.incrementAndGet();
    List<String> args = List.of(keys.prefix(), str(clock.millis()), str(max), str(lease.toMillis()), claim,
      str(lookahead.toMillis()));
    return scripts.call(Scripts.CLAIM_DUE_SCHEDULES, List.of(keys.schedules()), args)
      .map(reply -> reply.stream().map(e -> new ScheduleEntry(e.get(0).toString(), e.get(1).toString(),
        e.get(2).toInteger(), e.get(3).toString(), e.get(4).toLong(), e.get(5).toLong(), claim)).toList());
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
    return redis.send(Request.cmd(Command.HMGET).arg(keys.schedule(orchestrationId)).arg("workspace").arg("version")
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
    return redis.send(Request.cmd(Command.ZRANGE).arg(keys.schedules()).arg(0).arg(0).arg("WITHSCORES"))
      .map(RedisScheduleStore::firstScore);
  }

  /** RESP3 answers WITHSCORES as [[member, score]], RESP2 as [member, score]. */
  private static Optional<Long> firstScore(Response reply) {
    if (reply == null || reply.size() == 0) {
      return Optional.empty();
    }
    Response first = reply.get(0);
    Response score = first.type() == ResponseType.MULTI ? first.get(1) : reply.get(1);
    return Optional.of(Math.round(score.toDouble()));
  }

  private List<String> keysOf(String orchestrationId) {
    return List.of(keys.schedules(), keys.schedule(orchestrationId));
  }

  private static String str(long value) {
    return Long.toString(value);
  }
}
