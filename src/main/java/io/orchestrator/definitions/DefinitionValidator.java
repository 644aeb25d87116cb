package io.orchestrator.definitions;

import io.orchestrator.validation.StorableJson;
import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Write-time validation of an orchestration definition (DESIGN.md §4). Returns every problem at once, each with a
 * dotted path into the request body; an empty list means the body can be stored and parsed with
 * {@link StepsParser}. Never throws on any body: wrong JSON types anywhere become field errors.
 * Slug and http-trigger path uniqueness are left to the database.
 */
public final class DefinitionValidator {

  static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
  static final int MAX_SLUG = 64;
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 4000;

  private final Clock clock;

  /** {@code clock} decides whether a one-time {@code scheduledAt} is in the future. */
  public DefinitionValidator(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Validates a create (POST) body; {@code knownFunctionIds} are the functions of the workspace. */
  public List<FieldError> validateCreate(JsonObject body, Set<String> knownFunctionIds) {
    Problems problems = new Problems();
    if (body == null) {
      problems.add("", "must be a JSON object");
      return problems.toList();
    }
    BodyReader reader = new BodyReader(problems);
    checkSlug(reader, body);
    checkDefinition(reader, body, knownFunctionIds, null);
    StorableJson.check(body, problems);
    return problems.toList();
  }

  /**
   * Validates a replace (PUT) body. {@code slug} may be echoed back but must equal {@code currentSlug}: runs,
   * triggers and clients address the orchestration by it. A one-time trigger may keep the {@code scheduledAt} of
   * {@code currentTrigger} (the stored version's, may be null) once it has passed: renaming or deactivating a fired
   * one-time orchestration; a past instant is never armed again.
   */
  public List<FieldError> validateUpdate(JsonObject body, String currentSlug, JsonObject currentTrigger,
                                         Set<String> knownFunctionIds) {
    Problems problems = new Problems();
    if (body == null) {
      problems.add("", "must be a JSON object");
      return problems.toList();
    }
    Object slug = BodyReader.raw(body, "slug");
    if (slug != null && !slug.equals(currentSlug)) {
      problems.add("slug", "cannot be changed");
    }
    checkDefinition(new BodyReader(problems), body, knownFunctionIds, ScheduleValidator.onceInstant(currentTrigger));
    StorableJson.check(body, problems);
    return problems.toList();
  }

  /**
   * Validates the {@code trigger} of {@code body} exactly as a create does, with the same field paths
   * ({@code trigger.cronExpression}); the rest of the body is not looked at. For requests that carry a trigger
   * without a definition (a schedule preview).
   */
  public List<FieldError> validateTrigger(JsonObject body) {
    Problems problems = new Problems();
    if (body == null) {
      problems.add("", "must be a JSON object");
      return problems.toList();
    }
    BodyReader reader = new BodyReader(problems);
    JsonObject trigger = reader.object(body, "", "trigger", true);
    if (trigger != null) {
      new TriggerValidator(reader, clock, null).validate(trigger, "trigger");
      StorableJson.check(trigger, problems);
    }
    return problems.toList();
  }

  private static void checkSlug(BodyReader reader, JsonObject body) {
    String slug = reader.text(body, "", "slug", true, MAX_SLUG);
    if (slug != null && !SLUG.matcher(slug).matches()) {
      reader.problems().add("slug", "must be lowercase letters and digits in '-'-separated words, "
        + "e.g. order-processing");
    }
  }

  private void checkDefinition(BodyReader reader, JsonObject body, Set<String> knownFunctionIds,
                               Instant keptScheduledAt) {
    reader.nonBlankText(body, "", "name", true, MAX_NAME);
    reader.text(body, "", "description", false, MAX_DESCRIPTION);
    reader.bool(body, "", "isActive");
    JsonObject trigger = reader.object(body, "", "trigger", true);
    if (trigger != null) {
      new TriggerValidator(reader, clock, keptScheduledAt).validate(trigger, "trigger");
    }
    JsonArray steps = reader.array(body, "", "steps", true);
    if (steps != null) {
      Set<String> functions = knownFunctionIds == null ? Set.of() : knownFunctionIds;
      new StepGraphValidator(reader, functions).validate(steps, "steps");
    }
  }
}
