package io.orchestrator.triggers.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.schedule.MisfirePolicy;
import io.orchestrator.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FirePlan: on-time fires and misfires")
class FirePlanTest {

  private static final Instant ANCHOR = Instant.parse("2025-01-15T10:00:00Z");
  private static final Schedule EVERY_10S = Schedule.interval(10_000, ANCHOR);
  private static final Schedule DAILY_9 = Schedule.cron("0 9 * * *", ZoneId.of("Europe/London"));
  private static final Instant FIRST = ANCHOR.plusSeconds(10);

  @Test
  @DisplayName("an on-time fire starts a run with missedCount 0 and moves to the next fire")
  void onTime() {
    FirePlan plan = FirePlan.of(EVERY_10S, MisfirePolicy.FIRE_ONCE, FIRST, FIRST.plusMillis(40));

    assertThat(plan).isEqualTo(new FirePlan(true, 0, false, Optional.of(FIRST.plusSeconds(10))));
  }

  @Test
  @DisplayName("a fire handled a millisecond early counts as on time and moves on, never to the same fire")
  void early() {
    FirePlan plan = FirePlan.of(EVERY_10S, MisfirePolicy.FIRE_ONCE, FIRST, FIRST.minusMillis(1));

    assertThat(plan).isEqualTo(new FirePlan(true, 0, false, Optional.of(FIRST.plusSeconds(10))));
  }

  @Test
  @DisplayName("an on-time fire runs even under skip: the policy only applies to misfires")
  void onTimeUnderSkip() {
    assertThat(FirePlan.of(EVERY_10S, MisfirePolicy.SKIP, FIRST, FIRST).run()).isTrue();
  }

  @Test
  @DisplayName("fire-once after an outage: one run counting the later fires missed, then the first future fire")
  void fireOnceAfterOutage() {
    Instant now = FIRST.plusSeconds(35);

    FirePlan plan = FirePlan.of(EVERY_10S, MisfirePolicy.FIRE_ONCE, FIRST, now);

    assertThat(plan).isEqualTo(new FirePlan(true, 3, true, Optional.of(FIRST.plusSeconds(40))));
  }

  @Test
  @DisplayName("skip after an outage: no run, resume at the first future fire")
  void skipAfterOutage() {
    FirePlan plan = FirePlan.of(EVERY_10S, MisfirePolicy.SKIP, FIRST, FIRST.plusSeconds(35));

    assertThat(plan).isEqualTo(new FirePlan(false, 3, true, Optional.of(FIRST.plusSeconds(40))));
  }

  @Test
  @DisplayName("more than one period late is a misfire even below the 60 s threshold (no burst of catch-up runs)")
  void behindByAPeriod() {
    Schedule everySecond = Schedule.interval(1_000, ANCHOR);
    Instant scheduledFor = ANCHOR.plusSeconds(1);

    FirePlan plan = FirePlan.of(everySecond, MisfirePolicy.FIRE_ONCE, scheduledFor, scheduledFor.plusMillis(2_500));

    assertThat(plan).isEqualTo(new FirePlan(true, 2, true, Optional.of(scheduledFor.plusSeconds(3))));
  }

  @Test
  @DisplayName("a daily cron handled 2 minutes late is a misfire with missedCount 0; skip drops it")
  void lateBeyondThreshold() {
    Instant nine = Instant.parse("2025-01-15T09:00:00Z");
    Instant now = nine.plus(Duration.ofMinutes(2));

    assertThat(FirePlan.of(DAILY_9, MisfirePolicy.FIRE_ONCE, nine, now))
      .isEqualTo(new FirePlan(true, 0, true, Optional.of(nine.plus(Duration.ofDays(1)))));
    assertThat(FirePlan.of(DAILY_9, MisfirePolicy.SKIP, nine, now).run()).isFalse();
  }

  @Test
  @DisplayName("a fire re-claimed after a crashed scheduler's 15 s lease is still on time")
  void reclaimedAfterLease() {
    Instant nine = Instant.parse("2025-01-15T09:00:00Z");

    FirePlan plan = FirePlan.of(DAILY_9, MisfirePolicy.SKIP, nine, nine.plusSeconds(15));

    assertThat(plan.run()).isTrue();
    assertThat(plan.misfired()).isFalse();
  }

  @Test
  @DisplayName("once: fires once and has no next fire; missed, fire-once fires on recovery and skip drops it")
  void once() {
    Instant at = Instant.parse("2025-02-01T09:00:00Z");
    Schedule once = Schedule.once(at);

    assertThat(FirePlan.of(once, MisfirePolicy.FIRE_ONCE, at, at.plusMillis(5)))
      .isEqualTo(new FirePlan(true, 0, false, Optional.empty()));
    assertThat(FirePlan.of(once, MisfirePolicy.FIRE_ONCE, at, at.plus(Duration.ofHours(5))))
      .isEqualTo(new FirePlan(true, 0, true, Optional.empty()));
    assertThat(FirePlan.of(once, MisfirePolicy.SKIP, at, at.plus(Duration.ofHours(5))))
      .isEqualTo(new FirePlan(false, 0, true, Optional.empty()));
  }

  @Test
  @DisplayName("a schedule's preview lists exactly the fires the scheduler plans, across both DST transitions")
  void previewMatchesPlannedFires() {
    Schedule daily = Schedule.cron("30 1 * * *", ZoneId.of("America/New_York"));
    Instant armedAt = Instant.parse("2026-03-01T12:00:00Z");

    List<Instant> planned = new ArrayList<>();
    Optional<Instant> fire = daily.nextAfter(armedAt);
    while (planned.size() < 300) {
      planned.add(fire.orElseThrow());
      fire = FirePlan.of(daily, MisfirePolicy.SKIP, fire.get(), fire.get().plusMillis(40)).next();
    }

    assertThat(daily.nextFireTimes(armedAt, 300)).containsExactlyElementsOf(planned);
  }

  @Test
  @DisplayName("every 15 min in Berlin: the scheduler fires the 2026-03-29 gap's end once, as the preview lists it")
  void gapEndFiresOnce() {
    Schedule quarterly = Schedule.cron("*/15 * * * *", ZoneId.of("Europe/Berlin"));
    Instant armedAt = Instant.parse("2026-03-29T00:00:00Z");
    Instant gapEnd = Instant.parse("2026-03-29T01:00:00Z");

    List<Instant> planned = new ArrayList<>();
    Optional<Instant> fire = quarterly.nextAfter(armedAt);
    while (planned.size() < 12) {
      planned.add(fire.orElseThrow());
      // handled exactly on time: the plan's next fire must never be the fire just handled
      fire = FirePlan.of(quarterly, MisfirePolicy.FIRE_ONCE, fire.get(), fire.get()).next();
    }

    assertThat(planned).doesNotHaveDuplicates().containsOnlyOnce(gapEnd)
      .containsSubsequence(gapEnd.minus(Duration.ofMinutes(15)), gapEnd, gapEnd.plus(Duration.ofMinutes(15)));
    assertThat(quarterly.nextFireTimes(armedAt, 12)).containsExactlyElementsOf(planned);
  }
}
