package io.orchestrator.definitions;

import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static io.orchestrator.definitions.Bodies.FUNCTIONS;
import static io.orchestrator.definitions.Bodies.VALIDATOR;
import static io.orchestrator.definitions.Bodies.create;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("DefinitionValidator: top-level fields, create and update")
class DefinitionValidatorTest {

  @Test
  @DisplayName("the API reference's create example is valid")
  void referenceExampleIsValid() {
    assertThat(create(Bodies.reference())).isEmpty();
  }

  @Test
  @DisplayName("a body using every step type, operator and option is valid")
  void richExampleIsValid() {
    assertThat(create(Bodies.rich())).isEmpty();
  }

  @ParameterizedTest(name = "create without {0} → required")
  @ValueSource(strings = {"slug", "name", "trigger", "steps"})
  @DisplayName("create reports each missing required field as 'required'")
  void createRequiredFields(String field) {
    JsonObject body = Bodies.reference();
    body.remove(field);
    assertThat(create(body)).containsExactly(new FieldError(field, "required"));
  }

  @ParameterizedTest(name = "update without {0} → required")
  @ValueSource(strings = {"name", "trigger", "steps"})
  @DisplayName("update reports each missing required field as 'required'")
  void updateRequiredFields(String field) {
    JsonObject body = Bodies.reference();
    body.remove("slug");
    body.remove(field);
    assertThat(VALIDATOR.validateUpdate(body, "order-processing", null, FUNCTIONS))
      .containsExactly(new FieldError(field, "required"));
  }

  @Test
  @DisplayName("a JSON null in a required field counts as missing")
  void nullRequiredFieldIsMissing() {
    assertThat(create(Bodies.reference().putNull("name"))).containsExactly(new FieldError("name", "required"));
  }

  @Test
  @DisplayName("update accepts a body without slug, or with the unchanged slug")
  void updateAcceptsMissingOrSameSlug() {
    JsonObject same = Bodies.reference();
    JsonObject without = Bodies.reference();
    without.remove("slug");
    assertThat(VALIDATOR.validateUpdate(same, "order-processing", null, FUNCTIONS)).isEmpty();
    assertThat(VALIDATOR.validateUpdate(without, "order-processing", null, FUNCTIONS)).isEmpty();
  }

  @Test
  @DisplayName("an update may keep a one-time scheduledAt that has passed (a fired orchestration can be renamed or "
    + "deactivated), but not move it to another past instant; a create never takes a past one")
  void updateMayKeepAPassedOnceInstant() {
    String past = "2025-01-15T09:00:00.000Z";
    JsonObject current = once(past);
    JsonObject body = Bodies.reference().put("trigger", once("2025-01-15T11:00:00+02:00"));
    FieldError inThePast = new FieldError("trigger.scheduledAt", "must be in the future");

    assertThat(VALIDATOR.validateUpdate(body, "order-processing", current, FUNCTIONS)).as("same instant, other offset")
      .isEmpty();
    assertThat(VALIDATOR.validateUpdate(Bodies.reference().put("trigger", once("2025-01-15T09:30:00Z")),
      "order-processing", current, FUNCTIONS)).containsExactly(inThePast);
    assertThat(VALIDATOR.validateUpdate(Bodies.reference().put("trigger", once(past)), "order-processing",
      null, FUNCTIONS)).containsExactly(inThePast);
    assertThat(create(Bodies.reference().put("trigger", once(past)))).containsExactly(inThePast);
  }

  private static JsonObject once(String scheduledAt) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "once").put("scheduledAt", scheduledAt);
  }

  @ParameterizedTest(name = "slug {0}")
  @ValueSource(strings = {"\"renamed\"", "\"Order-Processing\"", "42", "{}"})
  @DisplayName("update refuses a slug that differs from the current one")
  void updateRefusesSlugChange(String slug) {
    JsonObject body = Bodies.reference().put("slug", JsonLiteral.of(slug));
    assertThat(VALIDATOR.validateUpdate(body, "order-processing", null, FUNCTIONS))
      .containsExactly(new FieldError("slug", "cannot be changed"));
  }

  @ParameterizedTest(name = "slug \"{0}\"")
  @ValueSource(strings = {"Order-Processing", "order--processing", "-order", "order-", "order_processing",
    "order processing", "ordér", ""})
  @DisplayName("create refuses a slug that is not lowercase words joined by single hyphens")
  void slugFormat(String slug) {
    assertThat(create(Bodies.reference().put("slug", slug)))
      .singleElement()
      .satisfies(e -> assertThat(e.field()).isEqualTo("slug"))
      .satisfies(e -> assertThat(e.message()).contains("lowercase letters and digits"));
  }

  @Test
  @DisplayName("a slug may have 64 characters but not 65")
  void slugLength() {
    assertThat(create(Bodies.reference().put("slug", "a".repeat(64)))).isEmpty();
    assertThat(create(Bodies.reference().put("slug", "a".repeat(65))))
      .containsExactly(new FieldError("slug", "must be at most 64 characters"));
  }

  @Test
  @DisplayName("create refuses the slug 'simulate': POST /orchestrations/simulate simulates an unsaved definition")
  void simulateIsReserved() {
    assertThat(create(Bodies.reference().put("slug", "simulate"))).extracting(FieldError::field)
      .containsExactly("slug");
    assertThat(create(Bodies.reference().put("slug", "simulate-orders"))).isEmpty();
  }

  @Test
  @DisplayName("an unsaved definition (a simulation's) may leave out slug and name, and may use 'simulate'")
  void draftWithoutSlugAndName() {
    JsonObject body = Bodies.reference();
    body.remove("slug");
    body.remove("name");
    assertThat(VALIDATOR.validateDraft(body, FUNCTIONS)).isEmpty();
    assertThat(VALIDATOR.validateDraft(Bodies.reference().put("slug", "simulate"), FUNCTIONS)).isEmpty();
    assertThat(VALIDATOR.validateDraft(Bodies.reference().put("slug", "Bad Slug").put("name", " "), FUNCTIONS))
      .extracting(FieldError::field).containsExactly("slug", "name");
    body.remove("steps");
    assertThat(VALIDATOR.validateDraft(body, FUNCTIONS)).containsExactly(new FieldError("steps", "required"));
  }

  @ParameterizedTest(name = "{0} = {1} → {2}")
  @CsvSource(delimiter = '|', value = {
    "name        | '\"   \"'              | must not be blank",
    "name        | 5                      | must be a string",
    "name        | '\"N\"'              | ''",
    "description | 12                     | must be a string",
    "description | null                   | ''",
    "isActive    | '\"yes\"'              | must be a boolean",
    "isActive    | true                   | ''",
    "trigger     | '\"event-driven\"'     | must be an object",
    "trigger     | '[]'                   | must be an object",
    "steps       | '\"validate\"'         | must be an array",
    "steps       | '{}'                   | must be an array",
    "steps       | '[]'                   | must contain between 1 and 200 steps"})
  @DisplayName("top-level fields of the wrong type or shape get one error each")
  void topLevelTypes(String field, String json, String message) {
    List<FieldError> errors = create(Bodies.reference().put(field, JsonLiteral.of(json)));
    if (message.isEmpty()) {
      assertThat(errors).isEmpty();
    } else {
      assertThat(errors).containsExactly(new FieldError(field, message));
    }
  }

  @Test
  @DisplayName("name and description have length limits of 200 and 4000")
  void textLengths() {
    JsonObject body = Bodies.reference().put("name", "n".repeat(201)).put("description", "d".repeat(4001));
    assertThat(create(body)).containsExactly(
      new FieldError("name", "must be at most 200 characters"),
      new FieldError("description", "must be at most 4000 characters"));
    JsonObject atLimit = Bodies.reference().put("name", "n".repeat(200)).put("description", "d".repeat(4000));
    assertThat(create(atLimit)).isEmpty();
  }

  @Test
  @DisplayName("more than 200 steps is refused")
  void tooManySteps() {
    JsonArray steps = new JsonArray();
    for (int i = 0; i < 201; i++) {
      steps.add(new JsonObject().put("id", "s" + i).put("type", "delay").put("delayMs", 0)
        .put("nextStepId", i < 200 ? "s" + (i + 1) : null));
    }
    assertThat(create(Bodies.withSteps(steps)))
      .containsExactly(new FieldError("steps", "must contain between 1 and 200 steps"));
    steps.remove(200);
    steps.getJsonObject(199).putNull("nextStepId");
    assertThat(create(Bodies.withSteps(steps))).isEmpty();
  }

  @Test
  @DisplayName("all problems of a body are reported together, in body order")
  void reportsEverythingAtOnce() {
    JsonObject body = Bodies.reference().put("slug", "Bad Slug").put("isActive", "no");
    body.getJsonObject("trigger").remove("eventType");
    JsonArray steps = body.getJsonArray("steps");
    steps.getJsonObject(0).put("functionId", "func_gone").put("timeoutMs", 0);
    steps.getJsonObject(1).getJsonArray("cases").getJsonObject(0).getJsonArray("conditions").getJsonObject(0)
      .put("op", "gt");
    steps.add(new JsonObject().put("id", "orphan").put("type", "delay").put("delayMs", 10));

    assertThat(create(body)).containsExactly(
      new FieldError("slug", "must be lowercase letters and digits in '-'-separated words, e.g. order-processing"),
      new FieldError("isActive", "must be a boolean"),
      new FieldError("trigger.eventType", "required"),
      new FieldError("steps[0].functionId", "function 'func_gone' does not exist in this workspace"),
      new FieldError("steps[0].timeoutMs", "must be between 1 and 3600000"),
      new FieldError("steps[1].cases[0].conditions[0].value", "must be a number for op 'gt'"),
      new FieldError("steps[4].id", "step 'orphan' is not reachable from the entry step 'validate'"));
  }

  @Test
  @DisplayName("a null body or null function set is reported, not thrown")
  void nullInputs() {
    assertThat(VALIDATOR.validateCreate(null, FUNCTIONS))
      .containsExactly(new FieldError("", "must be a JSON object"));
    assertThat(VALIDATOR.validateUpdate(null, "x", null, FUNCTIONS))
      .containsExactly(new FieldError("", "must be a JSON object"));
    assertThat(VALIDATOR.validateCreate(Bodies.reference(), null)).extracting(FieldError::field)
      .containsExactly("steps[0].functionId", "steps[2].functionId", "steps[3].functionId");
  }

  @Test
  @DisplayName("functions are looked up in the given workspace set, by exact id")
  void functionLookupIsExact() {
    List<FieldError> errors = VALIDATOR.validateCreate(Bodies.reference(), Set.of("FUNC_ABC123", "func_def456",
      "func_ghi789"));
    assertThat(errors).containsExactly(
      new FieldError("steps[0].functionId", "function 'func_abc123' does not exist in this workspace"));
  }

  @Test
  @DisplayName("fields the validator does not know are ignored, so a GET response can be sent back in a PUT")
  void unknownFieldsIgnored() {
    JsonObject body = Bodies.reference().put("id", "orch_abc123").put("version", 3)
      .put("createdAt", "2025-01-15T10:00:00.000Z").putNull("updatedBy");
    assertThat(VALIDATOR.validateUpdate(body, "order-processing", null, FUNCTIONS)).isEmpty();
  }
}
