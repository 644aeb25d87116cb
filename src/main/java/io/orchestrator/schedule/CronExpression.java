package io.orchestrator.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A 5-field unix cron expression ({@code minute hour day-of-month month day-of-week}) that matches at least one
 * date. The only class that parses cron: the definitions validator, the scheduler and previews all get theirs here.
 * Immutable and thread-safe.
 */
public final class CronExpression {

  static final String FIELD = "cronExpression";
  private static final int FIELDS = 5;
  private static final CronParser PARSER =
    new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final String PARSE_PREFIX = "Failed to parse cron expression. ";
  // Any 5-field cron repeats within 28 years, so one that matches nothing after this date matches nothing at all.
  private static final ZonedDateTime NEVER_FIRES_PROBE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private final String text;
  private final ExecutionTime matches;

  private CronExpression(String text, ExecutionTime matches) {
    this.text = text;
    this.matches = matches;
  }

  /**
   * Parses {@code expression}; surrounding and repeated whitespace do not matter.
   *
   * @throws InvalidScheduleException for {@code cronExpression} when it has not 5 fields, cron-utils refuses it (its
   *     reason is kept: "Value 60 not in range [0, 59]") or it matches no date at all ({@code 0 9 31 2 *})
   */
  public static CronExpression parse(String expression) {
    String text = canonical(expression);
    int fields = text.isEmpty() ? 0 : text.split(" ").length;
    if (fields != FIELDS) {
      throw invalid("must have 5 fields (minute hour day-of-month month day-of-week), got " + fields);
    }
    ExecutionTime matches;
    boolean firesEver;
    try {
      matches = ExecutionTime.forCron(PARSER.parse(text).validate());
      firesEver = matches.nextExecution(NEVER_FIRES_PROBE).isPresent();
    } catch (RuntimeException e) {
      // cron-utils reports through unchecked exceptions of several types; its text names the bad part
      String detail = e.getMessage() == null ? "" : ": " + e.getMessage().replace(PARSE_PREFIX, "");
      throw invalid("is not a valid cron expression" + detail);
    }
    if (!firesEver) {
      throw invalid("never fires: no date matches it");
    }
    return new CronExpression(text, matches);
  }

  /**
   * {@code expression} trimmed, with single spaces between fields ("" for null): the form stored in a schedule's
   * spec, so that re-spacing an expression is not a schedule change.
   */
  public static String canonical(String expression) {
    if (expression == null || expression.isBlank()) {
      return "";
    }
    return Arrays.stream(expression.trim().split("\\s+")).collect(Collectors.joining(" "));
  }

  /** The expression in {@link #canonical} form. */
  public String text() {
    return text;
  }

  /** The matching date-times, as cron-utils enumerates them on the wall clock of the zone of its argument. */
  ExecutionTime matches() {
    return matches;
  }

  private static InvalidScheduleException invalid(String problem) {
    return new InvalidScheduleException(FIELD, problem);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronExpression that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
