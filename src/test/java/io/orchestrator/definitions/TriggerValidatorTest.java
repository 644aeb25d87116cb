package io.orchestrator.definitions;

import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static io.orchestrator.definitions.Bodies.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("DefinitionValidator: triggers")
class TriggerValidatorTest {

  /** Trigger JSON with ' for " so the tables stay readable. */
  private static JsonObject trigger(String json) {
    return new JsonObject(json.replace('\'', '"'));
  }

  private static List<FieldError> errorsFor(String triggerJson) {
    return create(Bodies.withTrigger(trigger(triggerJson)));
  }

  static Stream<String> validTriggers() {
    return Stream.of(
      "{'type': 'event-driven', 'eventType': 'record.created', 'structureSlug': 'orders'}",
      "{'type': 'event-driven', 'eventType': 'records.bulk_created'}",
      "{'type': 'event-driven', 'eventType': 'record.restored', 'structureSlug': null}",
      "{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': 'America/New_York'}",
      "{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '*/5 * * * *'}",
      "{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * 1-5', 'misfirePolicy': 'fire-once'}",
      "{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 3600000, 'timezone': 'UTC'}",
      "{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 1000, 'misfirePolicy': 'skip'}",
      "{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-02-01T09:00:00Z', 'timezone': 'UTC'}",
      "{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-01-15T12:00:01+02:00'}",
      "{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-01-15T10:00:00.001Z'}",
      "{'type': 'on-demand'}",
      "{'type': 'on-demand', 'cronExpression': null, 'eventType': null, 'editorColor': 'teal'}",
      "{'type': 'http-trigger', 'path': '/webhooks/stripe', 'validateSignature': true}",
      "{'type': 'http-trigger', 'path': '/a.b/c_d/~e-f', 'validateSignature': true, 'signatureScheme': 'stripe',"
        + " 'signingSecret': 'whsec_anything-goes'}",
      "{'type': 'http-trigger', 'path': '/hooks', 'signatureScheme': 'standard-webhooks',"
        + " 'signingSecret': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'}",
      "{'type': 'http-trigger', 'path': '/hooks', 'validateSignature': true, 'signatureScheme': 'standard-webhooks',"
        + " 'signingSecret': 'whsec_********aOQ='}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validTriggers")
  @DisplayName("the reference's trigger examples and their documented variants are valid")
  void validTrigger(String json) {
    assertThat(errorsFor(json)).isEmpty();
  }

  static Stream<Arguments> typeAndEventErrors() {
    return Stream.of(
      arguments("{}", "trigger.type", "required"),
      arguments("{'type': 'webhook'}", "trigger.type",
        "must be one of: event-driven, scheduled, on-demand, http-trigger"),
      arguments("{'type': 7}", "trigger.type", "must be one of: event-driven, scheduled, on-demand, http-trigger"),
      arguments("{'type': 'event-driven'}", "trigger.eventType", "required"),
      arguments("{'type': 'event-driven', 'eventType': 'record.archived'}", "trigger.eventType",
        "must be one of: record.created, record.updated, record.deleted, record.restored, records.bulk_created"),
      arguments("{'type': 'event-driven', 'eventType': 'record.created', 'structureSlug': ''}",
        "trigger.structureSlug", "must not be blank"),
      arguments("{'type': 'event-driven', 'eventType': 'record.created', 'structureSlug': 5}",
        "trigger.structureSlug", "must be a string"));
  }

  static Stream<Arguments> scheduleErrors() {
    return Stream.of(
      arguments("{'type': 'scheduled'}", "trigger.scheduleType", "required"),
      arguments("{'type': 'scheduled', 'scheduleType': 'weekly'}", "trigger.scheduleType",
        "must be one of: cron, interval, once"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron'}", "trigger.cronExpression", "required"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': 900}", "trigger.cronExpression",
        "must be a string"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval'}", "trigger.interval", "required"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 999}", "trigger.interval",
        "must be between 1000 and 31536000000"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': '1000'}", "trigger.interval",
        "must be an integer"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 1500.5}", "trigger.interval",
        "must be an integer"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once'}", "trigger.scheduledAt", "required"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': 'tomorrow'}", "trigger.scheduledAt",
        "must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-02-01T09:00:00'}",
        "trigger.scheduledAt", "must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '+99999-12-31T23:59:59Z'}",
        "trigger.scheduledAt", "must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '9999-12-31T23:00:00-05:00'}",
        "trigger.scheduledAt", "must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': 1738400400000}",
        "trigger.scheduledAt", "must be a string"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-01-14T09:00:00Z'}",
        "trigger.scheduledAt", "must be in the future"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-01-15T10:00:00Z'}",
        "trigger.scheduledAt", "must be in the future"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2025-01-15T11:30:00+02:00'}",
        "trigger.scheduledAt", "must be in the future"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 1000, 'timezone': 'Mars/Olympus'}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': ' '}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': '+05:00'}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': 'GMT+5'}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': 'UTC+01:00'}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': 'Z'}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 1000, 'timezone': 'europe/paris'}",
        "trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'timezone': 1}",
        "trigger.timezone", "must be a string"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 1000, 'misfirePolicy': 'later'}",
        "trigger.misfirePolicy", "must be one of: fire-once, skip"));
  }

  static Stream<Arguments> httpTriggerErrors() {
    return Stream.of(
      arguments("{'type': 'http-trigger'}", "trigger.path", "required"),
      arguments("{'type': 'http-trigger', 'path': 'webhooks/stripe'}", "trigger.path", "must start with '/'"),
      arguments("{'type': 'http-trigger', 'path': '/webhooks//stripe'}", "trigger.path",
        "must be '/'-separated non-empty segments of letters, digits, '.', '_', '~' or '-'"),
      arguments("{'type': 'http-trigger', 'path': '/webhooks/'}", "trigger.path",
        "must be '/'-separated non-empty segments of letters, digits, '.', '_', '~' or '-'"),
      arguments("{'type': 'http-trigger', 'path': '/'}", "trigger.path",
        "must be '/'-separated non-empty segments of letters, digits, '.', '_', '~' or '-'"),
      arguments("{'type': 'http-trigger', 'path': '/web hooks'}", "trigger.path",
        "must be '/'-separated non-empty segments of letters, digits, '.', '_', '~' or '-'"),
      arguments("{'type': 'http-trigger', 'path': '/hooks?x=1'}", "trigger.path",
        "must be '/'-separated non-empty segments of letters, digits, '.', '_', '~' or '-'"),
      arguments("{'type': 'http-trigger', 'path': '/hooks/../admin'}", "trigger.path",
        "must not contain '.' or '..' segments"),
      arguments("{'type': 'http-trigger', 'path': '/.'}", "trigger.path", "must not contain '.' or '..' segments"),
      arguments("{'type': 'http-trigger', 'path': 42}", "trigger.path", "must be a string"),
      arguments("{'type': 'http-trigger', 'path': '/hooks', 'validateSignature': 'true'}",
        "trigger.validateSignature", "must be a boolean"),
      arguments("{'type': 'http-trigger', 'path': '/hooks', 'signatureScheme': 'hmac'}", "trigger.signatureScheme",
        "must be one of: stripe, standard-webhooks"),
      arguments("{'type': 'http-trigger', 'path': '/hooks', 'signingSecret': 'short'}", "trigger.signingSecret",
        "must be between 8 and 256 characters"),
      arguments("{'type': 'http-trigger', 'path': '/hooks', 'signingSecret': ['whsec_x']}", "trigger.signingSecret",
        "must be a string"),
      arguments("{'type': 'http-trigger', 'path': '/hooks', 'signatureScheme': 'standard-webhooks',"
        + " 'signingSecret': 'plain-old-secret'}", "trigger.signingSecret",
        "must be 'whsec_' followed by base64 for the standard-webhooks scheme"),
      arguments("{'type': 'http-trigger', 'path': '/hooks', 'signatureScheme': 'standard-webhooks',"
        + " 'signingSecret': 'whsec_not*base64!'}", "trigger.signingSecret",
        "must be 'whsec_' followed by base64 for the standard-webhooks scheme"));
  }

  static Stream<Arguments> otherTypesFields() {
    return Stream.of(
      arguments("{'type': 'on-demand', 'cronExpression': '0 9 * * *'}", "trigger.cronExpression",
        "applies only to scheduled triggers, not to on-demand ones"),
      arguments("{'type': 'on-demand', 'eventType': 'record.nope'}", "trigger.eventType",
        "applies only to event-driven triggers, not to on-demand ones"),
      arguments("{'type': 'event-driven', 'eventType': 'record.created', 'path': 'no-slash'}", "trigger.path",
        "applies only to http-trigger triggers, not to event-driven ones"),
      arguments("{'type': 'http-trigger', 'path': '/h', 'interval': 1000}", "trigger.interval",
        "applies only to scheduled triggers, not to http-trigger ones"),
      arguments("{'type': 'scheduled', 'scheduleType': 'cron', 'cronExpression': '0 9 * * *', 'interval': 5000}",
        "trigger.interval", "applies only to interval schedules, not to cron ones"),
      arguments("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2027-02-01T09:00:00Z',"
        + " 'cronExpression': '0 9 * * *'}", "trigger.cronExpression",
        "applies only to cron schedules, not to once ones"),
      arguments("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 1000, 'signingSecret': 'x'}",
        "trigger.signingSecret", "applies only to http-trigger triggers, not to scheduled ones"));
  }

  @ParameterizedTest(name = "{0} → {1}: {2}")
  @MethodSource({"typeAndEventErrors", "scheduleErrors", "httpTriggerErrors", "otherTypesFields"})
  @DisplayName("each trigger rule reports exactly one error at the offending field")
  void invalidTrigger(String json, String field, String message) {
    assertThat(errorsFor(json)).containsExactly(new FieldError(field, message));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"0 0 9 * * *", "* * * * * *", "0 0 1 1 * 2025", "garbage", "0 9 * *", ""})
  @DisplayName("a cron expression without exactly 5 fields says how many it has")
  void cronFieldCount(String expression) {
    int fields = expression.isBlank() ? 0 : expression.trim().split("\\s+").length;
    JsonObject body = Bodies.withTrigger(new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
      .put("cronExpression", expression));
    assertThat(create(body)).containsExactly(new FieldError("trigger.cronExpression",
      "must have 5 fields (minute hour day-of-month month day-of-week), got " + fields));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"61 * * * *", "0 24 * * *", "0 9 32 * *", "0 9 * 13 *", "0 9 ? * *", "0 9 L * *",
    "a b c d e", "1-5/0 * * * *", "0 9 * * MON-XYZ", "@daily x y z w"})
  @DisplayName("a 5-field cron expression that cron-utils refuses gets its reason")
  void cronSyntax(String expression) {
    JsonObject body = Bodies.withTrigger(new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
      .put("cronExpression", expression));
    assertThat(create(body)).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("trigger.cronExpression");
      assertThat(error.message()).startsWith("is not a valid cron expression");
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0 9 31 2 *", "0 0 30 2 *", "* * 31 4,6,9,11 *"})
  @DisplayName("a cron that matches no date at all is refused: it would never fire")
  void cronThatNeverFires(String expression) {
    JsonObject body = Bodies.withTrigger(new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
      .put("cronExpression", expression));
    assertThat(create(body)).containsExactly(
      new FieldError("trigger.cronExpression", "never fires: no date matches it"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"UTC", "Europe/Berlin", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "Etc/GMT-3",
    "GMT"})
  @DisplayName("any region id of the IANA time zone database is accepted as timezone")
  void timezones(String zone) {
    assertThat(errorsFor("{'type': 'scheduled', 'scheduleType': 'interval', 'interval': 60000, 'timezone': '"
      + zone + "'}")).isEmpty();
  }

  @Test
  @DisplayName("scheduled-trigger problems are all reported together")
  void scheduledProblemsTogether() {
    assertThat(errorsFor("{'type': 'scheduled', 'scheduleType': 'once', 'scheduledAt': '2024-01-01T00:00:00Z',"
      + " 'timezone': 'Nowhere/Land', 'misfirePolicy': 'never'}")).containsExactly(
      new FieldError("trigger.scheduledAt", "must be in the future"),
      new FieldError("trigger.timezone", "must be an IANA time zone id, e.g. America/New_York"),
      new FieldError("trigger.misfirePolicy", "must be one of: fire-once, skip"));
  }

  @Test
  @DisplayName("an http-trigger path may be 200 characters but not 201")
  void httpPathLength() {
    String longest = "/" + "p".repeat(199);
    assertThat(errorsFor("{'type': 'http-trigger', 'path': '" + longest + "'}")).isEmpty();
    assertThat(errorsFor("{'type': 'http-trigger', 'path': '" + longest + "p'}"))
      .containsExactly(new FieldError("trigger.path", "must be at most 200 characters"));
  }

  @Test
  @DisplayName("a signing secret may have 8 to 256 characters")
  void signingSecretLength() {
    String body = "{'type': 'http-trigger', 'path': '/h', 'signingSecret': '%s'}";
    assertThat(errorsFor(body.formatted("s".repeat(8)))).isEmpty();
    assertThat(errorsFor(body.formatted("s".repeat(256)))).isEmpty();
    assertThat(errorsFor(body.formatted("s".repeat(257))))
      .containsExactly(new FieldError("trigger.signingSecret", "must be between 8 and 256 characters"));
  }

  @Test
  @DisplayName("fields of other trigger types are refused together, each at its field (as null they are ignored)")
  void otherTypesFieldsRefused() {
    assertThat(errorsFor("{'type': 'on-demand', 'eventType': 'nope', 'cronExpression': 'x', 'path': 'y',"
      + " 'interval': null}")).extracting(FieldError::field)
      .containsExactlyInAnyOrder("trigger.eventType", "trigger.cronExpression", "trigger.path");
  }
}
