package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.common.Timestamps;
import io.orchestrator.schedule.CronExpression;
import io.orchestrator.schedule.InvalidScheduleException;
import io.orchestrator.schedule.MisfirePolicy;
import io.orchestrator.schedule.Schedule;
import io.orchestrator.schedule.ScheduledAt;
import io.orchestrator.schedule.Timezone;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks the fields of a {@code scheduled} trigger: cron, interval or once, plus timezone and misfire policy. The JSON
 * shape is checked here; what a valid cron, zone, interval or instant is, and its message, is the schedule model's
 * ({@link Schedule}), so the scheduler fires exactly what was accepted here.
 */
final class ScheduleValidator {

  static final List<String> SCHEDULE_TYPES = List.of("cron", "interval", "once");

  private static final TypeFields SCHEDULE_FIELDS = new TypeFields("schedule", Map.of(
    "cron", List.of("cronExpression"), "interval", List.of("interval"), "once", List.of("scheduledAt")));

  private final BodyReader reader;
  private final Problems problems;
  private final Clock clock;
  private final Instant keptScheduledAt;

  ScheduleValidator(BodyReader reader, Clock clock, Instant keptScheduledAt) {
    this.reader = reader;
    this.problems = reader.problems();
    this.clock = clock;
    this.keptScheduledAt = keptScheduledAt;
  }

  /** The {@code scheduledAt} of a stored one-time trigger, else null. */
  static Instant onceInstant(JsonObject trigger) {
    if (trigger == null || !"scheduled".equals(trigger.getValue("type"))
      || !"once".equals(trigger.getValue("scheduleType")) || !(trigger.getValue("scheduledAt") instanceof String at)) {
      return null;
    }
    try {
      return ScheduledAt.parse(at);
    } catch (InvalidScheduleException e) {
      return null;
    }
  }

  void validate(JsonObject trigger, String path) {
    String type = reader.oneOf(trigger, path, "scheduleType", true, SCHEDULE_TYPES);
    if (type != null) {
      SCHEDULE_FIELDS.check(trigger, path, type, problems);
    }
    if ("cron".equals(type)) {
      String expression = reader.string(trigger, path, "cronExpression", true);
      if (expression != null) {
        parse(path, () -> CronExpression.parse(expression));
      }
    } else if ("interval".equals(type)) {
      reader.integer(trigger, path, "interval", true, Schedule.MIN_INTERVAL_MS, Schedule.MAX_INTERVAL_MS);
    } else if ("once".equals(type)) {
      once(trigger, path);
    }
    String zone = reader.string(trigger, path, "timezone", false);
    if (zone != null) {
      parse(path, () -> Timezone.parse(zone));
    }
    reader.oneOf(trigger, path, "misfirePolicy", false, MisfirePolicy.wireNames());
  }

  private void once(JsonObject trigger, String parent) {
    String value = reader.string(trigger, parent, "scheduledAt", true);
    Instant at = value == null ? null : parse(parent, () -> ScheduledAt.parse(value));
    if (at == null) {
      return;
    }
    if (!at.isAfter(clock.instant()) && !at.equals(keptScheduledAt)) {
      problems.add(Problems.path(parent, "scheduledAt"), "must be in the future");
    } else {
      // stored and served like every other timestamp: UTC, milliseconds
      trigger.put("scheduledAt", Timestamps.formatMillis(at.toEpochMilli()));
    }
  }

  /** Runs a parser of the schedule model; a refusal becomes a problem at the field it names, and null. */
  private <T> T parse(String parent, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (InvalidScheduleException e) {
      problems.add(Problems.path(parent, e.field()), e.problem());
      return null;
    }
  }
}
