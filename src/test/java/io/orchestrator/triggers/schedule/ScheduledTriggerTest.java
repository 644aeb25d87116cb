package io.orchestrator.triggers.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.schedule.InvalidScheduleException;
import io.orchestrator.schedule.MisfirePolicy;
import io.orchestrator.schedule.Schedule;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ScheduledTrigger: reading triggers and their canonical spec")
class ScheduledTriggerTest {

  @Test
  @DisplayName("only scheduled triggers have a schedule")
  void otherTypes() {
    assertThat(ScheduledTrigger.from(new JsonObject().put("type", "on-demand"))).isEmpty();
    assertThat(ScheduledTrigger.from(null)).isEmpty();
  }

  @Test
  @DisplayName("the spec ignores key order, cron spacing and fields that do not decide fires")
  void canonicalSpec() {
    JsonObject a = new JsonObject("{\"type\":\"scheduled\",\"scheduleType\":\"interval\",\"interval\":5000,"
      + "\"timezone\":\"UTC\"}");
    JsonObject b = new JsonObject("{\"interval\":5000,\"scheduleType\":\"interval\",\"type\":\"scheduled\","
      + "\"misfirePolicy\":\"fire-once\"}");
    JsonObject c = new JsonObject("{\"type\":\"scheduled\",\"scheduleType\":\"cron\",\"cronExpression\":\" 0  9 * * * \","
      + "\"timezone\":\"America/New_York\"}");

    assertThat(ScheduledTrigger.from(a).orElseThrow().spec()).isEqualTo(ScheduledTrigger.from(b).orElseThrow().spec());
    assertThat(ScheduledTrigger.from(c).orElseThrow().spec()).isEqualTo(
      "{\"scheduleType\":\"cron\",\"cronExpression\":\"0 9 * * *\",\"timezone\":\"America/New_York\","
        + "\"misfirePolicy\":\"fire-once\"}");
  }

  @Test
  @DisplayName("a spec reads back into the same trigger and schedule, for every kind")
  void roundTrip() {
    for (String json : new String[] {
      "{\"type\":\"scheduled\",\"scheduleType\":\"cron\",\"cronExpression\":\"*/5 * * * *\",\"misfirePolicy\":\"skip\"}",
      "{\"type\":\"scheduled\",\"scheduleType\":\"interval\",\"interval\":1000}",
      "{\"type\":\"scheduled\",\"scheduleType\":\"once\",\"scheduledAt\":\"2030-02-01T10:00:00+01:00\"}"}) {
      ScheduledTrigger trigger = ScheduledTrigger.from(new JsonObject(json)).orElseThrow();

      assertThat(ScheduledTrigger.fromSpec(trigger.spec())).isEqualTo(trigger);
    }
  }

  @Test
  @DisplayName("cron defaults to UTC; once is read as an instant; the misfire policy defaults to fire-once")
  void defaults() {
    ScheduledTrigger cron = ScheduledTrigger.from(new JsonObject()
      .put("type", "scheduled").put("scheduleType", "cron").put("cronExpression", "0 9 * * *")).orElseThrow();
    ScheduledTrigger once = ScheduledTrigger.from(new JsonObject().put("type", "scheduled")
      .put("scheduleType", "once").put("scheduledAt", "2030-02-01T10:00:00+01:00")).orElseThrow();

    assertThat(cron.schedule(Instant.EPOCH)).isEqualTo(Schedule.cron("0 9 * * *", ZoneId.of("UTC")));
    assertThat(cron.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE);
    assertThat(once.scheduledAt()).isEqualTo(Instant.parse("2030-02-01T09:00:00Z"));
  }

  @Test
  @DisplayName("the schedule is built by the schedule model, which refuses what the validator refuses")
  void scheduleBuiltByTheModel() {
    ScheduledTrigger offsetZone = ScheduledTrigger.from(new JsonObject().put("type", "scheduled")
      .put("scheduleType", "cron").put("cronExpression", "0 9 * * *").put("timezone", "+05:00")).orElseThrow();
    ScheduledTrigger neverFires = ScheduledTrigger.from(new JsonObject().put("type", "scheduled")
      .put("scheduleType", "cron").put("cronExpression", "0 9 31 2 *")).orElseThrow();

    assertThatThrownBy(() -> offsetZone.schedule(Instant.EPOCH)).isInstanceOf(InvalidScheduleException.class)
      .hasMessage("timezone must be an IANA time zone id, e.g. America/New_York");
    assertThatThrownBy(() -> neverFires.schedule(Instant.EPOCH)).isInstanceOf(InvalidScheduleException.class)
      .hasMessage("cronExpression never fires: no date matches it");
  }
}
