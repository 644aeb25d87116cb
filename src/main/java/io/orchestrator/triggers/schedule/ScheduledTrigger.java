package io.orchestrator.triggers.schedule;

import io.orchestrator.schedule.CronExpression;
import io.orchestrator.schedule.MisfirePolicy;
import io.orchestrator.schedule.Schedule;
import io.orchestrator.schedule.ScheduledAt;
import io.orchestrator.schedule.Timezone;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a validated {@code scheduled} trigger that decide when it fires, read from the API's JSON. Only reads
 * and writes JSON: the fields are parsed and checked by the schedule model ({@link #schedule}).
 *
 * @param scheduleType   {@code cron}, {@code interval} or {@code once}
 * @param cronExpression cron only, else null
 * @param timezone       cron only (default {@code UTC}), else null: intervals and instants have no zone
 * @param intervalMs     interval only, else 0
 * @param scheduledAt    once only, else null
 */
public record ScheduledTrigger(String scheduleType, String cronExpression, String timezone, long intervalMs,
                               Instant scheduledAt, MisfirePolicy misfirePolicy) {

  public ScheduledTrigger {
    Objects.requireNonNull(scheduleType, "scheduleType");
    Objects.requireNonNull(misfirePolicy, "misfirePolicy");
  }

  /** The schedule of a trigger of type {@code scheduled}; empty for any other trigger. */
  public static Optional<ScheduledTrigger> from(JsonObject trigger) {
    if (trigger == null || !"scheduled".equals(trigger.getString("type"))) {
      return Optional.empty();
    }
    String type = trigger.getString("scheduleType");
    MisfirePolicy policy = MisfirePolicy.fromWire(trigger.getString("misfirePolicy")).orElse(MisfirePolicy.DEFAULT);
    return Optional.of(switch (type) {
      case "cron" -> new ScheduledTrigger(type, CronExpression.canonical(trigger.getString("cronExpression")),
        trigger.getString("timezone", Timezone.DEFAULT), 0, null, policy);
      case "interval" -> new ScheduledTrigger(type, null, null, trigger.getLong("interval"), null, policy);
      case "once" -> new ScheduledTrigger(type, null, null, 0, ScheduledAt.parse(trigger.getString("scheduledAt")),
        policy);
      default -> throw new IllegalArgumentException("unknown scheduleType " + type);
    });
  }

  /** Reads {@link #spec()} back. */
  public static ScheduledTrigger fromSpec(String spec) {
    JsonObject json = new JsonObject(spec);
    String at = json.getString("scheduledAt");
    return new ScheduledTrigger(json.getString("scheduleType"), json.getString("cronExpression"),
      json.getString("timezone"), json.getLong("interval", 0L), at == null ? null : Instant.parse(at),
      MisfirePolicy.fromWire(json.getString("misfirePolicy")).orElseThrow());
  }

  /**
   * Canonical JSON of what decides the fires, equal for equal schedules whatever the request's key order, spacing
   * or ignored fields (a timezone on an interval). Stored with the entry, so the scheduler needs no definition to
   * compute the next fire, and compared to tell a schedule change from an unrelated edit.
   */
  public String spec() {
    JsonObject json = new JsonObject().put("scheduleType", scheduleType);
    switch (scheduleType) {
      case "cron" -> json.put("cronExpression", cronExpression).put("timezone", timezone);
      case "interval" -> json.put("interval", intervalMs);
      default -> json.put("scheduledAt", scheduledAt.toString());
    }
    return json.put("misfirePolicy", misfirePolicy.wireName()).encode();
  }

  /**
   * The fires; {@code anchor} is where an interval counts from and is ignored by the other kinds.
   *
   * @throws io.orchestrator.schedule.InvalidScheduleException when a field breaks the model's rules (a definition
   *     written before them, or by hand)
   */
  public Schedule schedule(Instant anchor) {
    return switch (scheduleType) {
      case "cron" -> Schedule.cron(cronExpression, Timezone.parse(timezone));
      case "interval" -> Schedule.interval(intervalMs, anchor);
      default -> Schedule.once(scheduledAt);
    };
  }
}
