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
  /** Slugs a create refuses: {@code POST /orchestrations/simulate} would not reach such an orchestration. */
  static final Set<String> RESERVED_SLUGS = Set.of("simulate");

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
    String slug = checkSlug(reader, body, true);
    if (slug != null && RESERVED_SLUGS.contains(slug)) {
      problems.add("slug", "'" + slug + "' is reserved: POST /orchestrations/" + slug + " is another operation");
    }
    checkDefinition(reader, body, knownFunctionIds, null, true);
    StorableJson.check(body, problems);
    return problems.toList();
  }

  /**
   * Validates a definition that is not stored (a simulation's): as a create, except that {@code slug} and
   * {@code name} are optional (checked when given; a slug's uniqueness is not). Same field paths as a create.
   */
  public List<FieldError> validateDraft(JsonObject body, Set<String> knownFunctionIds) {
    Problems problems = new Problems();
    if (body == null) {
      problems.add("", "must be a JSON object");
      return problems.toList();
    }
    BodyReader reader = new BodyReader(problems);
    checkSlug(reader, body, false);
    checkDefinition(reader, body, knownFunctionIds, null, false);
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
    checkDefinition(new BodyReader(problems), body, knownFunctionIds, ScheduleValidator.onceInstant(currentTrigger),
      true);
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

  /** The slug when it is well-formed, else null. */
  private static String checkSlug(BodyReader reader, JsonObject body, boolean required) {
    String slug = reader.text(body, "", "slug", required, MAX_SLUG);
    if (slug != null && !SLUG.matcher(slug).matches()) {
      reader.problems().add("slug", "must be lowercase letters and digits in '-'-separated words, "
        + "e.g. order-processing");
      return null;
    }
    return slug;
  }

  private void checkDefinition(BodyReader reader, JsonObject body, Set<String> knownFunctionIds,
                               Instant keptScheduledAt, boolean nameRequired) {
    reader.nonBlankText(body, "", "name", nameRequired, MAX_NAME);
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
