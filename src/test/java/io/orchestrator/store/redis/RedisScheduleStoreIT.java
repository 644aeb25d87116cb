package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.triggers.schedule.ScheduleEntry;
import io.orchestrator.triggers.schedule.ScheduleStore;
import io.orchestrator.triggers.schedule.ScheduleStore.Advance;
import io.orchestrator.triggers.schedule.ScheduleStore.Upsert;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RedisScheduleStore: one test per Lua return code")
class RedisScheduleStoreIT extends RedisStoreTestBase {

  private static final String SPEC = "{\"scheduleType\":\"interval\",\"interval\":1000,\"misfirePolicy\":\"fire-once\"}";
  private static final String OTHER_SPEC =
    "{\"scheduleType\":\"interval\",\"interval\":5000,\"misfirePolicy\":\"fire-once\"}";
  private static final Duration CLAIM = Duration.ofSeconds(15);
  private static final long T = T0.toEpochMilli();

  private RedisScheduleStore schedules;

  @BeforeEach
  void createScheduleStore() throws Exception {
    schedules = await(RedisScheduleStore.create(vertx, redis, keyspace, clock));
  }

  private static ScheduleEntry entry(String id, int version, String spec, long dueMs) {
    return new ScheduleEntry(id, WS, version, spec, T, dueMs, null);
  }

  @Test
  @DisplayName("upsert: a new entry is armed at its first fire")
  void upsertArms() throws Exception {
    assertThat(await(schedules.upsert(entry("orch_1", 1, SPEC, T + 1000)))).isEqualTo(Upsert.ARMED);

    assertThat(score(keys.schedules(), "orch_1")).isEqualTo(T + 1000.0);
    assertThat(await(schedules.nextDue())).contains(T + 1000);
  }

  @Test
  @DisplayName("upsert: the same or an older version is ignored, so a rebuild never resets a schedule")
  void upsertIgnoresHeldVersions() throws Exception {
    await(schedules.upsert(entry("orch_1", 2, SPEC, T + 1000)));

    assertThat(await(schedules.upsert(entry("orch_1", 2, SPEC, T + 9000)))).isEqualTo(Upsert.IGNORED);
    assertThat(await(schedules.upsert(entry("orch_1", 1, OTHER_SPEC, T + 9000)))).isEqualTo(Upsert.IGNORED);
    assertThat(score(keys.schedules(), "orch_1")).isEqualTo(T + 1000.0);
  }

  @Test
  @DisplayName("upsert: a newer version with another spec replaces the entry and voids the claim in flight")
  void upsertReplaces() throws Exception {
    await(schedules.upsert(entry("orch_1", 1, SPEC, T)));
    ScheduleEntry claimed = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);

    assertThat(await(schedules.upsert(entry("orch_1", 2, OTHER_SPEC, T + 5000)))).isEqualTo(Upsert.ARMED);

    assertThat(score(keys.schedules(), "orch_1")).isEqualTo(T + 5000.0);
    assertThat(await(schedules.advance(claimed, Optional.of(T0.plusSeconds(1))))).isEqualTo(Advance.STALE);
    assertThat(score(keys.schedules(), "orch_1")).isEqualTo(T + 5000.0);
  }

  @Test
  @DisplayName("upsert: a newer version with the same spec keeps the pending fire and the claim")
  void upsertKeeps() throws Exception {
    await(schedules.upsert(entry("orch_1", 1, SPEC, T)));
    ScheduleEntry claimed = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);

    assertThat(await(schedules.upsert(entry("orch_1", 2, SPEC, T + 7000)))).isEqualTo(Upsert.KEPT);

    assertThat(await(schedules.advance(claimed, Optional.of(T0.plusSeconds(1))))).isEqualTo(Advance.ADVANCED);
    assertThat(hget("orch_1", "version")).isEqualTo("2");
    assertThat(hget("orch_1", "scheduledFor")).isEqualTo(Long.toString(T + 1000));
  }

  @Test
  @DisplayName("remove: takes the entry out and leaves a tombstone that outranks late upserts of older versions")
  void removeLeavesTombstone() throws Exception {
    await(schedules.upsert(entry("orch_1", 3, SPEC, T + 1000)));

    assertThat(await(schedules.remove("orch_1", 4))).isTrue();

    assertThat(score(keys.schedules(), "orch_1")).isNull();
    assertThat(await(schedules.upsert(entry("orch_1", 3, SPEC, T + 1000)))).isEqualTo(Upsert.IGNORED);
    assertThat(await(schedules.upsert(entry("orch_1", 4, SPEC, T + 1000)))).isEqualTo(Upsert.IGNORED);
    assertThat(await(schedules.upsert(entry("orch_1", 5, SPEC, T + 1000)))).isEqualTo(Upsert.ARMED);
    assertThat(ttl("orch_1")).isEqualTo(-1);
  }

  @Test
  @DisplayName("remove: with nothing held, nothing is written")
  void removeNothing() throws Exception {
    assertThat(await(schedules.remove("orch_1", 3))).isFalse();

    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(keys.schedule("orch_1")))).toInteger()).isZero();
    assertThat(await(schedules.upsert(entry("orch_1", 2, SPEC, T + 1000)))).isEqualTo(Upsert.ARMED);
  }

  @Test
  @DisplayName("remove: ignored when a newer version is held; a deletion outranks every version")
  void removeIgnoresOlderVersions() throws Exception {
    await(schedules.upsert(entry("orch_1", 3, SPEC, T + 1000)));

    assertThat(await(schedules.remove("orch_1", 2))).isFalse();
    assertThat(score(keys.schedules(), "orch_1")).isEqualTo(T + 1000.0);
    assertThat(await(schedules.remove("orch_1", ScheduleStore.DELETED))).isTrue();
    assertThat(await(schedules.upsert(entry("orch_1", 1_000_000, SPEC, T + 1000)))).isEqualTo(Upsert.IGNORED);
    assertThat(ttl("orch_1")).isPositive();
  }

  @Test
  @DisplayName("claim: takes only due entries, moves them to now + lease, and nobody else can claim them meanwhile")
  void claimDue() throws Exception {
    await(schedules.upsert(entry("orch_due", 1, SPEC, T)));
    await(schedules.upsert(entry("orch_later", 1, SPEC, T + 1)));
    RedisScheduleStore other = new RedisScheduleStore(redis,
      await(ScriptRegistry.load(vertx, redis, RedisScheduleStore.SCRIPTS)), keyspace, clock);

    List<ScheduleEntry> claimed = await(schedules.claimDue(10, CLAIM, Duration.ZERO));

    assertThat(claimed).extracting(ScheduleEntry::orchestrationId).containsExactly("orch_due");
    assertThat(claimed.get(0)).extracting(ScheduleEntry::workspace, ScheduleEntry::version, ScheduleEntry::spec,
      ScheduleEntry::anchorMs, ScheduleEntry::scheduledForMs).containsExactly(WS, 1, SPEC, T, T);
    assertThat(score(keys.schedules(), "orch_due")).isEqualTo(T + CLAIM.toMillis() + 0.0);
    assertThat(await(other.claimDue(10, CLAIM, Duration.ZERO))).isEmpty();
  }

  @Test
  @DisplayName("claim: a lookahead also takes entries due within it, earliest first, leased from now")
  void claimWithLookahead() throws Exception {
    await(schedules.upsert(entry("orch_soon", 1, SPEC, T + 250)));
    await(schedules.upsert(entry("orch_now", 1, SPEC, T)));
    await(schedules.upsert(entry("orch_later", 1, SPEC, T + 251)));

    List<ScheduleEntry> claimed = await(schedules.claimDue(10, CLAIM, Duration.ofMillis(250)));

    assertThat(claimed).extracting(ScheduleEntry::orchestrationId).containsExactly("orch_now", "orch_soon");
    assertThat(score(keys.schedules(), "orch_soon")).isEqualTo(T + CLAIM.toMillis() + 0.0);
    assertThat(await(schedules.nextDue())).contains(T + 251);
  }

  @Test
  @DisplayName("claim: an entry whose claimer died comes due again after the lease; the old claim is then stale")
  void claimExpires() throws Exception {
    await(schedules.upsert(entry("orch_1", 1, SPEC, T)));
    ScheduleEntry first = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);
    clock.advance(CLAIM);

    ScheduleEntry second = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);

    assertThat(second.scheduledForMs()).isEqualTo(T);
    assertThat(second.claim()).isNotEqualTo(first.claim());
    assertThat(await(schedules.advance(first, Optional.of(T0.plusSeconds(1))))).isEqualTo(Advance.STALE);
    assertThat(await(schedules.advance(second, Optional.of(T0.plusSeconds(1))))).isEqualTo(Advance.ADVANCED);
  }

  @Test
  @DisplayName("claim: a zset member without a live hash is dropped, not returned")
  void claimDropsOrphans() throws Exception {
    await(redis.send(Request.cmd(Command.ZADD).arg(keys.schedules()).arg(T).arg("orch_orphan")));

    assertThat(await(schedules.claimDue(10, CLAIM, Duration.ZERO))).isEmpty();
    assertThat(score(keys.schedules(), "orch_orphan")).isNull();
  }

  @Test
  @DisplayName("advance: moves the entry to its next fire and releases the claim")
  void advanceMoves() throws Exception {
    await(schedules.upsert(entry("orch_1", 1, SPEC, T)));
    ScheduleEntry claimed = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);

    assertThat(await(schedules.advance(claimed, Optional.of(T0.plusSeconds(1))))).isEqualTo(Advance.ADVANCED);

    assertThat(score(keys.schedules(), "orch_1")).isEqualTo(T + 1000.0);
    assertThat(hget("orch_1", "claim")).isEmpty();
    assertThat(await(schedules.advance(claimed, Optional.of(T0.plusSeconds(2))))).isEqualTo(Advance.STALE);
  }

  @Test
  @DisplayName("advance: with no next fire the entry is removed, and a late upsert of that version cannot re-add it")
  void advanceRemoves() throws Exception {
    await(schedules.upsert(entry("orch_1", 1, SPEC, T)));
    ScheduleEntry claimed = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);

    assertThat(await(schedules.advance(claimed, Optional.empty()))).isEqualTo(Advance.REMOVED);

    assertThat(score(keys.schedules(), "orch_1")).isNull();
    assertThat(await(schedules.upsert(entry("orch_1", 1, SPEC, T + 1000)))).isEqualTo(Upsert.IGNORED);
  }

  @Test
  @DisplayName("advance: not found once the schedule was removed while firing")
  void advanceAfterRemoval() throws Exception {
    await(schedules.upsert(entry("orch_1", 1, SPEC, T)));
    ScheduleEntry claimed = await(schedules.claimDue(10, CLAIM, Duration.ZERO)).get(0);
    await(schedules.remove("orch_1", ScheduleStore.DELETED));

    assertThat(await(schedules.advance(claimed, Optional.of(T0.plusSeconds(1))))).isEqualTo(Advance.NOT_FOUND);
    assertThat(score(keys.schedules(), "orch_1")).isNull();
  }

  @Test
  @DisplayName("find: reads the entry with its pending fire, anchor and claim; nothing for a tombstone or no entry")
  void find() throws Exception {
    assertThat(await(schedules.find("orch_1"))).isEmpty();
    await(schedules.upsert(entry("orch_1", 2, SPEC, T + 1000)));

    assertThat(await(schedules.find("orch_1"))).contains(new ScheduleEntry("orch_1", WS, 2, SPEC, T, T + 1000, null));
    ScheduleEntry claimed = await(schedules.claimDue(10, CLAIM, Duration.ofSeconds(2))).get(0);
    assertThat(await(schedules.find("orch_1"))).contains(claimed);
    await(schedules.remove("orch_1", 3));
    assertThat(await(schedules.find("orch_1"))).isEmpty();
  }

  @Test
  @DisplayName("after SCRIPT FLUSH the schedule scripts still run (EVAL fallback)")
  void noScriptFallback() throws Exception {
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

    assertThat(await(schedules.upsert(entry("orch_1", 1, SPEC, T)))).isEqualTo(Upsert.ARMED);
    assertThat(await(schedules.claimDue(10, CLAIM, Duration.ZERO))).hasSize(1);
  }

  private String hget(String id, String field) throws Exception {
    Response reply = await(redis.send(Request.cmd(Command.HGET).arg(keys.schedule(id)).arg(field)));
    return reply == null ? null : reply.toString();
  }

  private long ttl(String id) throws Exception {
    return await(redis.send(Request.cmd(Command.PTTL).arg(keys.schedule(id)))).toLong();
  }
}
