package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.orchestrator.common.Timestamps;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks the fields of a {@code scheduled} trigger: cron, interval or once, plus timezone and misfire policy. */
final class ScheduleValidator {

  static final List<String> SCHEDULE_TYPES = List.of("cron", "interval", "once");
  static final List<String> MISFIRE_POLICIES = List.of("fire-once", "skip");
  static final long MIN_INTERVAL_MS = 1000;
  /** One year, like the longest delay step: keeps "now + interval" far from overflow in the scheduler. */
  static final long MAX_INTERVAL_MS = 31_536_000_000L;
  static final int CRON_FIELDS = 5;
  private static final String CRON_PARSE_PREFIX = "Failed to parse cron expression. ";
  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final ZonedDateTime NEVER_FIRES_PROBE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

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
    return parseInstant(at);
  }

  void validate(JsonObject trigger, String path) {
    String type = reader.oneOf(trigger, path, "scheduleType", true, SCHEDULE_TYPES);
    if (type != null) {
      SCHEDULE_FIELDS.check(trigger, path, type, problems);
    }
    if ("cron".equals(type)) {
      cron(trigger, path);
    } else if ("interval".equals(type)) {
      reader.integer(trigger, path, "interval", true, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
    } else if ("once".equals(type)) {
      once(trigger, path);
    }
    timezone(trigger, path);
    reader.oneOf(trigger, path, "misfirePolicy", false, MISFIRE_POLICIES);
  }

  private void cron(JsonObject trigger, String parent) {
    String expression = reader.string(trigger, parent, "cronExpression", true);
    if (expression != null) {
      cronProblem(expression).ifPresent(message -> problems.add(Problems.path(parent, "cronExpression"), message));
    }
  }

  /** Why {@code expression} is not a 5-field unix cron that fires, if it is not. */
  static Optional<String> cronProblem(String expression) {
    String trimmed = expression.trim();
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    if (fields != CRON_FIELDS) {
      return Optional.of("must have 5 fields (minute hour day-of-month month day-of-week), got " + fields);
    }
    try {
      Cron cron = CRON.parse(trimmed).validate();
      // a 5-field cron repeats within 28 years: one matching nothing after this date never fires (e.g. 0 9 31 2 *)
      return ExecutionTime.forCron(cron).nextExecution(NEVER_FIRES_PROBE).isPresent() ? Optional.empty()
        : Optional.of("never fires: no date matches it");
    } catch (RuntimeException e) {
      // cron-utils reports through unchecked exceptions of several types; its text names the bad part
      String detail = e.getMessage() == null ? "" : ": " + e.getMessage().replace(CRON_PARSE_PREFIX, "");
      return Optional.of("is not a valid cron expression" + detail);
    }
  }

  private void once(JsonObject trigger, String parent) {
    String value = reader.string(trigger, parent, "scheduledAt", true);
    if (value == null) {
      return;
    }
    String path = Problems.path(parent, "scheduledAt");
    Instant at = parseInstant(value);
    if (at == null) {
      problems.add(path, "must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z");
    } else if (!at.isAfter(clock.instant()) && !at.equals(keptScheduledAt)) {
      problems.add(path, "must be in the future");
    } else {
      // stored and served like every other timestamp: UTC, milliseconds
      trigger.put("scheduledAt", Timestamps.formatMillis(at.toEpochMilli()));
    }
  }

  /** The instant, or null when it is no ISO-8601 date-time with an offset, or falls outside the UTC years 0–9999. */
  private static Instant parseInstant(String value) {
    try {
      Instant at = OffsetDateTime.parse(value).toInstant();
      // stored in UTC, where a year beyond 9999 would print as "+10000-…", which most clients' date parsers reject
      int utcYear = at.atOffset(ZoneOffset.UTC).getYear();
      return utcYear < 0 || utcYear > 9999 ? null : at;
    } catch (DateTimeException e) {
      return null;
    }
  }

  private void timezone(JsonObject trigger, String parent) {
    String zone = reader.string(trigger, parent, "timezone", false);
    if (zone != null && !isZone(zone)) {
      problems.add(Problems.path(parent, "timezone"), "must be an IANA time zone id, e.g. America/New_York");
    }
  }

  /** A region id of the time zone database ("Europe/Paris", "UTC"); fixed offsets ("+05:00", "GMT+5") are not. */
  private static boolean isZone(String zone) {
    return ZoneId.getAvailableZoneIds().contains(zone);
  }
}
