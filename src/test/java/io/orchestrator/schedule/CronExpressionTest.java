package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Cron expressions: 5 unix fields that match some date, refused with the API's messages")
class CronExpressionTest {

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("accepts standard expressions, names and surrounding whitespace")
  @ValueSource(strings = {"* * * * *", "*/15 * * * *", "0 9 * * 1-5", "0 0 * * MON", "0 0 1 JAN *",
      "0 0 * * 7", " 0  0 * * * ", "5,35 8-18/2 1-15 */3 0", "0 0 29 2 *"})
  void acceptsValid(String expression) {
    assertThat(CronExpression.parse(expression).text()).isEqualTo(CronExpression.canonical(expression));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @DisplayName("refuses invalid expressions with a message naming the problem")
  @CsvSource(delimiter = '|', textBlock = """
      * * * * * *       | must have 5 fields (minute hour day-of-month month day-of-week), got 6
      0 0 * *           | must have 5 fields (minute hour day-of-month month day-of-week), got 4
      garbage           | must have 5 fields (minute hour day-of-month month day-of-week), got 1
      60 * * * *        | is not a valid cron expression: Value 60 not in range [0, 59]
      0 24 * * *        | is not a valid cron expression: Value 24 not in range [0, 23]
      a b c d e         | is not a valid cron expression: Invalid chars
      0 0 L * *         | is not a valid cron expression: Invalid chars
      5-1 * * * *       | is not a valid cron expression: Invalid range
      0 0 30 2 *        | never fires: no date matches it
      0 9 31 2 *        | never fires: no date matches it
      * * 31 4,6,9,11 * | never fires: no date matches it
      """)
  void refusesInvalid(String expression, String message) {
    assertThatThrownBy(() -> CronExpression.parse(expression))
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
          assertThat(e.field()).isEqualTo("cronExpression");
          assertThat(e.problem()).startsWith(message);
          assertThat(e.getMessage()).isEqualTo("cronExpression " + e.problem());
        });
  }

  @ParameterizedTest
  @DisplayName("a missing, empty or blank expression has 0 fields")
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void refusesEmpty(String expression) {
    assertThatThrownBy(() -> CronExpression.parse(expression))
        .hasMessage("cronExpression must have 5 fields (minute hour day-of-month month day-of-week), got 0");
  }

  @Test
  @DisplayName("the canonical form is trimmed with single spaces, so re-spacing is no change")
  void canonicalForm() {
    assertThat(CronExpression.canonical(" 0  9\t* * 1-5 ")).isEqualTo("0 9 * * 1-5");
    assertThat(CronExpression.canonical(null)).isEmpty();
    assertThat(CronExpression.parse(" 0  9 * * * ")).isEqualTo(CronExpression.parse("0 9 * * *"))
        .isNotEqualTo(CronExpression.parse("0 10 * * *"));
  }
}
