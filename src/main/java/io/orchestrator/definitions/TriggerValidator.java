package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.common.SecretMask;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an orchestration's {@code trigger} object (DESIGN.md §4 and §7); the rules of scheduled triggers live in
 * ScheduleValidator.
 */
final class TriggerValidator {

  static final List<String> TYPES = List.of("event-driven", "scheduled", "on-demand", "http-trigger");
  static final List<String> EVENT_TYPES =
    List.of("record.created", "record.updated", "record.deleted", "record.restored", "records.bulk_created");
  static final List<String> SIGNATURE_SCHEMES = List.of("stripe", "standard-webhooks");
  static final Pattern HTTP_PATH = Pattern.compile("^(/[A-Za-z0-9._~-]+)+$");
  static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");
  static final int MAX_STRUCTURE_SLUG = 128;
  static final int MAX_HTTP_PATH = 200;
  static final int MIN_SECRET = 8;
  static final int MAX_SECRET = 256;
  private static final TypeFields TYPE_FIELDS = new TypeFields("trigger", Map.of(
    "event-driven", List.of("eventType", "structureSlug"),
    "scheduled", List.of("scheduleType", "cronExpression", "interval", "scheduledAt", "timezone", "misfirePolicy"),
    "http-trigger", List.of("path", "validateSignature", "signatureScheme", "signingSecret")));
  static final String WEBHOOK_SECRET_PREFIX = "whsec_";

  private final BodyReader reader;
  private final Problems problems;
  private final Clock clock;
  private final Instant keptScheduledAt;

  /** @param keptScheduledAt a one-time instant the trigger may keep though past (an update's current one), or null */
  TriggerValidator(BodyReader reader, Clock clock, Instant keptScheduledAt) {
    this.reader = reader;
    this.problems = reader.problems();
    this.clock = clock;
    this.keptScheduledAt = keptScheduledAt;
  }

  void validate(JsonObject trigger, String path) {
    String type = reader.oneOf(trigger, path, "type", true, TYPES);
    if (type == null) {
      return;
    }
    TYPE_FIELDS.check(trigger, path, type, problems);
    switch (type) {
      case "event-driven" -> eventDriven(trigger, path);
      case "scheduled" -> new ScheduleValidator(reader, clock, keptScheduledAt).validate(trigger, path);
      case "http-trigger" -> httpTrigger(trigger, path);
      default -> {
        // on-demand has nothing to configure
      }
    }
  }

  private void eventDriven(JsonObject trigger, String path) {
    reader.oneOf(trigger, path, "eventType", true, EVENT_TYPES);
    reader.nonBlankText(trigger, path, "structureSlug", false, MAX_STRUCTURE_SLUG);
  }

  private void httpTrigger(JsonObject trigger, String path) {
    httpPath(trigger, path);
    reader.bool(trigger, path, "validateSignature");
    String scheme = reader.oneOf(trigger, path, "signatureScheme", false, SIGNATURE_SCHEMES);
    String secret = reader.string(trigger, path, "signingSecret", false);
    // a masked secret (as GET shows it) sent back keeps the stored one: its format was checked when it was set
    if (secret != null && !SecretMask.isMask(secret)) {
      signingSecret(secret, "standard-webhooks".equals(scheme), Problems.path(path, "signingSecret"));
    }
  }

  private void httpPath(JsonObject trigger, String parent) {
    String path = Problems.path(parent, "path");
    String value = reader.text(trigger, parent, "path", true, MAX_HTTP_PATH);
    if (value == null) {
      return;
    }
    if (!value.startsWith("/")) {
      problems.add(path, "must start with '/'");
    } else if (!HTTP_PATH.matcher(value).matches()) {
      problems.add(path, "must be '/'-separated non-empty segments of letters, digits, '.', '_', '~' or '-'");
    } else if (DOT_SEGMENT.matcher(value).find()) {
      // proxies and routers normalise '.' and '..' away, so such a path could never be reached as written
      problems.add(path, "must not contain '.' or '..' segments");
    }
  }

  private void signingSecret(String secret, boolean standardWebhooks, String path) {
    if (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
      problems.add(path, "must be between " + MIN_SECRET + " and " + MAX_SECRET + " characters");
    } else if (standardWebhooks && !isWebhookSecret(secret)) {
      // the standard-webhooks scheme keys the HMAC with the base64-decoded part after the prefix
      problems.add(path, "must be 'whsec_' followed by base64 for the standard-webhooks scheme");
    }
  }

  private static boolean isWebhookSecret(String secret) {
    if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(secret.substring(WEBHOOK_SECRET_PREFIX.length())).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
