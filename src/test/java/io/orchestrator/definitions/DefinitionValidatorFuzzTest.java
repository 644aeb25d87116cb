package io.orchestrator.definitions;

import io.orchestrator.common.FieldError;
import io.orchestrator.fixtures.RandomJson;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.orchestrator.definitions.Bodies.FUNCTIONS;
import static io.orchestrator.definitions.Bodies.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

@DisplayName("DefinitionValidator: robustness against arbitrary bodies")
class DefinitionValidatorFuzzTest {

  private static final int MUTATIONS = 200;

  @Test
  @DisplayName("200 random mutations of valid bodies never throw, and whatever passes also parses")
  void neverThrows() {
    AtomicInteger refused = new AtomicInteger();
    for (long seed = 1; seed <= MUTATIONS; seed++) {
      JsonObject original = seed % 2 == 0 ? Bodies.reference() : Bodies.rich();
      JsonObject body = new RandomJson(seed).mutate(original);
      assertThatCode(() -> check(body, refused)).as("seed %d: %s", seed, body).doesNotThrowAnyException();
    }
    // the mutations must actually reach the rules, or the test proves little
    assertThat(refused.get()).isGreaterThan(MUTATIONS / 2);
  }

  @Test
  @DisplayName("bodies made entirely of random values never throw")
  void randomBodiesNeverThrow() {
    for (long seed = 1; seed <= MUTATIONS; seed++) {
      RandomJson random = new RandomJson(seed);
      JsonObject body = new JsonObject().put("slug", random.value(1)).put("name", random.value(1))
        .put("trigger", random.value(3)).put("steps", random.value(4));
      assertThatCode(() -> check(body, new AtomicInteger())).as("seed %d: %s", seed, body)
        .doesNotThrowAnyException();
    }
  }

  private static void check(JsonObject body, AtomicInteger refused) {
    List<FieldError> created = VALIDATOR.validateCreate(body, FUNCTIONS);
    List<FieldError> updated = VALIDATOR.validateUpdate(body, "order-processing", null, FUNCTIONS);
    assertThat(created).allSatisfy(DefinitionValidatorFuzzTest::wellFormed);
    assertThat(updated).allSatisfy(DefinitionValidatorFuzzTest::wellFormed);
    if (created.isEmpty()) {
      assertThat(StepsParser.parseSteps(body.getJsonArray("steps"))).isNotEmpty();
    } else {
      refused.incrementAndGet();
    }
  }

  private static void wellFormed(FieldError error) {
    assertThat(error.field()).isNotNull();
    assertThat(error.message()).isNotBlank();
  }
}
