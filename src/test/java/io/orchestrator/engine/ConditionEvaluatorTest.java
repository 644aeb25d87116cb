package io.orchestrator.engine;

import static io.orchestrator.definitions.ConditionOp.EQ;
import static io.orchestrator.definitions.ConditionOp.EXISTS;
import static io.orchestrator.definitions.ConditionOp.GT;
import static io.orchestrator.definitions.ConditionOp.GTE;
import static io.orchestrator.definitions.ConditionOp.IN;
import static io.orchestrator.definitions.ConditionOp.LT;
import static io.orchestrator.definitions.ConditionOp.LTE;
import static io.orchestrator.definitions.ConditionOp.NEQ;
import static io.orchestrator.definitions.ConditionOp.NOT_EXISTS;
import static io.orchestrator.definitions.ConditionOp.NOT_IN;
import static io.orchestrator.engine.JsonFixtures.arr;
import static io.orchestrator.engine.JsonFixtures.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.orchestrator.definitions.Condition;
import io.orchestrator.definitions.ConditionOp;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("ConditionEvaluator")
class ConditionEvaluatorTest {

  /** One shared scope; every row below reads from it. Numbers deliberately use different Java types. */
  private static final Map<String, Object> SCOPE = obj(
      "input", obj(
          "amount", 100,
          "big", 10_000_000_000L,
          "ratio", 0.5,
          "price", new BigDecimal("19.90"),
          "name", "alice",
          "numStr", "1",
          "flag", true,
          "off", false,
          "nothing", null,
          "tags", arr("a", "b"),
          "customer", obj("tier", "gold", "address", obj("city", "Paris")),
          "items", arr(obj("sku", "A1", "qty", 2), obj("sku", "B2", "qty", 0)),
          "byIndex", obj("0", "zero-key"),
          "matrix", arr(arr(1, 2), arr(3, 4)),
          "holes", arr(null, "x")),
      "context", obj("region", "eu", "retries", 3L),
      "steps", obj(
          "fetch", obj("output", obj("status", 200, "body", obj("ok", true))),
          "echo", obj("output", "plain"),
          "void", obj("output", null)));

  private static Arguments row(String behaviour, String path, ConditionOp op, Object value, boolean expected) {
    return Arguments.of(behaviour, new Condition(path, op, value), expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource({"eqRows", "neqRows", "gtRows", "gteRows", "ltRows", "lteRows", "inRows", "notInRows",
      "existsRows", "notExistsRows", "numericEqualityRows", "pathRows", "pathEdgeRows", "deepEqualityRows"})
  @DisplayName("holds exactly when the operator's JSON semantics say so")
  void holds(String behaviour, Condition condition, boolean expected) {
    assertThat(ConditionEvaluator.holds(condition, SCOPE)).as(behaviour).isEqualTo(expected);
  }

  static Stream<Arguments> eqRows() {
    return Stream.of(
        row("eq: present and equal", "input.amount", EQ, 100, true),
        row("eq: present and different", "input.amount", EQ, 101, false),
        row("eq: missing path is false", "input.absent", EQ, 100, false),
        row("eq: missing path is false even against null", "input.absent", EQ, null, false),
        row("eq: present null equals null", "input.nothing", EQ, null, true),
        row("eq: present null does not equal a number", "input.nothing", EQ, 0, false),
        row("eq: present null does not equal the string \"null\"", "input.nothing", EQ, "null", false),
        row("eq: a number does not equal null", "input.amount", EQ, null, false),
        row("eq: string \"1\" does not equal number 1", "input.numStr", EQ, 1, false),
        row("eq: number 100 does not equal string \"100\"", "input.amount", EQ, "100", false),
        row("eq: array does not equal an object", "input.tags", EQ, obj("0", "a", "1", "b"), false),
        row("eq: object does not equal an array", "input.customer", EQ, arr("gold"), false),
        row("eq: boolean true equals true", "input.flag", EQ, true, true),
        row("eq: boolean true does not equal false", "input.flag", EQ, false, false),
        row("eq: boolean does not equal the string \"true\"", "input.flag", EQ, "true", false),
        row("eq: boolean does not equal number 1", "input.flag", EQ, 1, false),
        row("eq: false does not equal null", "input.off", EQ, null, false),
        row("eq: strings compare exactly (case-sensitive)", "input.name", EQ, "Alice", false));
  }

  static Stream<Arguments> neqRows() {
    return Stream.of(
        row("neq: present and different", "input.amount", NEQ, 101, true),
        row("neq: present and equal", "input.amount", NEQ, 100, false),
        row("neq: missing path is true", "input.absent", NEQ, 100, true),
        row("neq: missing path is true even against null", "input.absent", NEQ, null, true),
        row("neq: present null vs null is false", "input.nothing", NEQ, null, false),
        row("neq: present null vs a number is true", "input.nothing", NEQ, 0, true),
        row("neq: string \"1\" vs number 1 is true", "input.numStr", NEQ, 1, true),
        row("neq: number 100 vs string \"100\" is true", "input.amount", NEQ, "100", true),
        row("neq: array vs object is true", "input.tags", NEQ, obj("0", "a", "1", "b"), true),
        row("neq: boolean vs the same boolean is false", "input.flag", NEQ, true, false),
        row("neq: boolean vs the other boolean is true", "input.flag", NEQ, false, true),
        row("neq: numbers of different Java types with the same value are equal", "input.amount", NEQ, 100.0,
            false));
  }

  static Stream<Arguments> gtRows() {
    return Stream.of(
        row("gt: present and greater", "input.amount", GT, 99, true),
        row("gt: present and equal", "input.amount", GT, 100, false),
        row("gt: present and smaller", "input.amount", GT, 101, false),
        row("gt: missing path is false", "input.absent", GT, 0, false),
        row("gt: present null is false", "input.nothing", GT, 0, false),
        row("gt: numeric-looking string is not a number", "input.numStr", GT, 0, false),
        row("gt: string condition value is false", "input.amount", GT, "50", false),
        row("gt: null condition value is false", "input.amount", GT, null, false),
        row("gt: array value is false", "input.tags", GT, 0, false),
        row("gt: object value is false", "input.customer", GT, 0, false),
        row("gt: boolean value is false", "input.flag", GT, 0, false),
        row("gt: Long vs Integer", "input.big", GT, 9_999_999_999L, true),
        row("gt: BigDecimal vs Double", "input.price", GT, 19.8, true),
        row("gt: BigDecimal 19.90 is not greater than Double 19.9", "input.price", GT, 19.9, false),
        row("gt: negative numbers", "input.items.1.qty", GT, -1, true));
  }

  static Stream<Arguments> gteRows() {
    return Stream.of(
        row("gte: present and greater", "input.amount", GTE, 99, true),
        row("gte: present and equal", "input.amount", GTE, 100, true),
        row("gte: present and smaller", "input.amount", GTE, 101, false),
        row("gte: missing path is false", "input.absent", GTE, 0, false),
        row("gte: present null is false", "input.nothing", GTE, 0, false),
        row("gte: present null vs null is false", "input.nothing", GTE, null, false),
        row("gte: string value is false", "input.name", GTE, 0, false),
        row("gte: array value is false", "input.tags", GTE, 0, false),
        row("gte: boolean value is false", "input.flag", GTE, 1, false),
        row("gte: equal across Integer and Double", "input.amount", GTE, 100.0, true),
        row("gte: equal across BigDecimal 19.90 and Double 19.9", "input.price", GTE, 19.9, true),
        row("gte: Long vs BigDecimal", "context.retries", GTE, new BigDecimal("3.000"), true));
  }

  static Stream<Arguments> ltRows() {
    return Stream.of(
        row("lt: present and smaller", "input.amount", LT, 101, true),
        row("lt: present and equal", "input.amount", LT, 100, false),
        row("lt: present and greater", "input.amount", LT, 99, false),
        row("lt: missing path is false", "input.absent", LT, 1_000, false),
        row("lt: present null is false", "input.nothing", LT, 1_000, false),
        row("lt: numeric-looking string is not a number", "input.numStr", LT, 1_000, false),
        row("lt: object value is false", "input.customer", LT, 1_000, false),
        row("lt: array condition value is false", "input.amount", LT, arr(1_000), false),
        row("lt: boolean value is false", "input.off", LT, 1, false),
        row("lt: Double vs Integer", "input.ratio", LT, 1, true),
        row("lt: fractional difference counts", "input.amount", LT, 100.0001, true));
  }

  static Stream<Arguments> lteRows() {
    return Stream.of(
        row("lte: present and smaller", "input.amount", LTE, 101, true),
        row("lte: present and equal", "input.amount", LTE, 100, true),
        row("lte: present and greater", "input.amount", LTE, 99, false),
        row("lte: missing path is false", "input.absent", LTE, 1_000, false),
        row("lte: present null is false", "input.nothing", LTE, 1_000, false),
        row("lte: string value is false", "input.name", LTE, 1_000, false),
        row("lte: array value is false", "input.tags", LTE, 1_000, false),
        row("lte: boolean value is false", "input.flag", LTE, 1_000, false),
        row("lte: equal across Double and BigDecimal", "input.ratio", LTE, new BigDecimal("0.50"), true),
        row("lte: equal across Long and Double", "input.big", LTE, 1.0E10, true));
  }

  static Stream<Arguments> inRows() {
    return Stream.of(
        row("in: present and listed", "input.customer.tier", IN, arr("silver", "gold"), true),
        row("in: present and not listed", "input.customer.tier", IN, arr("bronze"), false),
        row("in: missing path is false", "input.absent", IN, arr("gold"), false),
        row("in: missing path is false even when null is listed", "input.absent", IN, arr((Object) null), false),
        row("in: present null is in a list containing null", "input.nothing", IN, arr(1, null), true),
        row("in: present null is not in a list without null", "input.nothing", IN, arr(1, "null"), false),
        row("in: string \"1\" is not in [1]", "input.numStr", IN, arr(1, 2), false),
        row("in: number 100 is not in [\"100\"]", "input.amount", IN, arr("100"), false),
        row("in: number matches across Java types", "input.amount", IN, arr(1L, 100.0), true),
        row("in: array value matches an equal array element", "input.tags", IN, arr(arr("a", "b")), true),
        row("in: array value does not match reordered array", "input.tags", IN, arr(arr("b", "a")), false),
        row("in: array value does not match its own elements", "input.tags", IN, arr("a", "b"), false),
        row("in: object value does not match an array element", "input.customer", IN, arr(arr("gold")), false),
        row("in: boolean listed", "input.flag", IN, arr(false, true), true),
        row("in: boolean not matched by string", "input.flag", IN, arr("true"), false),
        row("in: empty list never matches", "input.amount", IN, arr(), false),
        row("in: non-array condition value is false", "input.amount", IN, 100, false),
        row("in: null condition value is false", "input.nothing", IN, null, false));
  }

  static Stream<Arguments> notInRows() {
    return Stream.of(
        row("notIn: present and not listed", "input.customer.tier", NOT_IN, arr("bronze"), true),
        row("notIn: present and listed", "input.customer.tier", NOT_IN, arr("silver", "gold"), false),
        row("notIn: missing path is true", "input.absent", NOT_IN, arr("gold"), true),
        row("notIn: missing path is true even when null is listed", "input.absent", NOT_IN, arr((Object) null),
            true),
        row("notIn: present null with null listed is false", "input.nothing", NOT_IN, arr(1, null), false),
        row("notIn: present null without null listed is true", "input.nothing", NOT_IN, arr(1), true),
        row("notIn: string \"1\" is not in [1]", "input.numStr", NOT_IN, arr(1), true),
        row("notIn: number matches across Java types", "input.amount", NOT_IN, arr(new BigDecimal("1E2")), false),
        row("notIn: array value listed", "input.tags", NOT_IN, arr(arr("a", "b")), false),
        row("notIn: object value vs array element", "input.customer", NOT_IN, arr(arr("gold")), true),
        row("notIn: boolean listed", "input.off", NOT_IN, arr(false), false),
        row("notIn: boolean not matched by 0", "input.off", NOT_IN, arr(0), true),
        row("notIn: empty list is always true", "input.amount", NOT_IN, arr(), true),
        row("notIn: non-array condition value is true", "input.amount", NOT_IN, 100, true));
  }

  static Stream<Arguments> existsRows() {
    return Stream.of(
        row("exists: present value", "input.amount", EXISTS, null, true),
        row("exists: missing path", "input.absent", EXISTS, null, false),
        row("exists: present null exists", "input.nothing", EXISTS, null, true),
        row("exists: present false exists", "input.off", EXISTS, null, true),
        row("exists: present string", "input.name", EXISTS, null, true),
        row("exists: present array", "input.tags", EXISTS, null, true),
        row("exists: present object", "input.customer", EXISTS, null, true),
        row("exists: null array element exists", "input.holes.0", EXISTS, null, true),
        row("exists: step output that is null exists", "steps.void.output", EXISTS, null, true),
        row("exists: ignores the condition value", "input.absent", EXISTS, "anything", false));
  }

  static Stream<Arguments> notExistsRows() {
    return Stream.of(
        row("notExists: present value", "input.amount", NOT_EXISTS, null, false),
        row("notExists: missing path", "input.absent", NOT_EXISTS, null, true),
        row("notExists: present null is not 'not existing'", "input.nothing", NOT_EXISTS, null, false),
        row("notExists: present string", "input.name", NOT_EXISTS, null, false),
        row("notExists: present array", "input.tags", NOT_EXISTS, null, false),
        row("notExists: present boolean", "input.flag", NOT_EXISTS, null, false),
        row("notExists: below a null value", "input.nothing.x", NOT_EXISTS, null, true),
        row("notExists: step never run", "steps.later.output", NOT_EXISTS, null, true));
  }

  static Stream<Arguments> numericEqualityRows() {
    return Stream.of(
        row("Integer equals Long", "input.amount", EQ, 100L, true),
        row("Integer equals Double", "input.amount", EQ, 100.0, true),
        row("Integer equals BigDecimal with scale", "input.amount", EQ, new BigDecimal("100.00"), true),
        row("Integer equals BigInteger", "input.amount", EQ, BigInteger.valueOf(100), true),
        row("Integer equals Short", "input.amount", EQ, (short) 100, true),
        row("Integer does not equal a near Double", "input.amount", EQ, 100.5, false),
        row("Long equals Integer (context)", "context.retries", EQ, 3, true),
        row("Long equals Double in exponent form", "input.big", EQ, 1.0E10, true),
        row("Long equals BigDecimal", "input.big", EQ, new BigDecimal("10000000000"), true),
        row("Double equals BigDecimal", "input.ratio", EQ, new BigDecimal("0.50"), true),
        row("Double equals Float", "input.ratio", EQ, 0.5f, true),
        row("BigDecimal equals Double by decimal value", "input.price", EQ, 19.9, true),
        row("BigDecimal does not equal a different Double", "input.price", EQ, 19.91, false),
        row("zero in an array element equals 0.0", "input.items.1.qty", EQ, 0.0, true),
        row("number equality applies inside in", "input.big", IN, arr(new BigDecimal("1E+10")), true));
  }

  static Stream<Arguments> pathRows() {
    return Stream.of(
        row("nested object path", "input.customer.address.city", EQ, "Paris", true),
        row("numeric segment indexes an array", "input.items.0.sku", EQ, "A1", true),
        row("second array element", "input.items.1.sku", EQ, "B2", true),
        row("nested arrays", "input.matrix.1.0", EQ, 3, true),
        row("array element that is itself an array", "input.matrix.0", EQ, arr(1, 2), true),
        row("out-of-range index is missing", "input.items.2.sku", EXISTS, null, false),
        row("out-of-range index: neq is true", "input.items.5", NEQ, "x", true),
        row("negative index is missing", "input.items.-1", EXISTS, null, false),
        row("non-canonical index 01 is missing", "input.items.01", EXISTS, null, false),
        row("non-numeric segment on an array is missing", "input.items.sku", EXISTS, null, false),
        row("huge index is missing, not an error", "input.items.99999999999999999999", EXISTS, null, false),
        row("numeric segment on an object is a key lookup", "input.byIndex.0", EQ, "zero-key", true),
        row("numeric segment on an object without that key is missing", "input.customer.0", EXISTS, null, false),
        row("path through a string is missing", "input.name.length", EXISTS, null, false),
        row("path through a number is missing", "input.amount.0", EXISTS, null, false),
        row("path through a boolean is missing", "input.flag.x", EXISTS, null, false),
        row("path through null is missing", "input.nothing.x", EXISTS, null, false),
        row("path through null: neq is true", "input.nothing.x", NEQ, null, true),
        row("path through a missing step is missing", "steps.nope.output.x", EXISTS, null, false));
  }

  static Stream<Arguments> pathEdgeRows() {
    return Stream.of(
        row("empty segment is missing", "input..amount", EXISTS, null, false),
        row("trailing dot is missing", "input.", EXISTS, null, false),
        row("empty path is missing", "", EXISTS, null, false),
        row("unknown root is missing", "other.amount", EXISTS, null, false),
        row("context path", "context.region", EQ, "eu", true),
        row("step output field", "steps.fetch.output.status", EQ, 200, true),
        row("step output nested field", "steps.fetch.output.body.ok", EQ, true, true),
        row("step output that is a scalar, whole", "steps.echo.output", EQ, "plain", true),
        row("step output that is a scalar, below it", "steps.echo.output.x", EXISTS, null, false),
        row("null array element equals null", "input.holes.0", EQ, null, true),
        row("keys are case-sensitive", "input.Amount", EXISTS, null, false));
  }

  static Stream<Arguments> deepEqualityRows() {
    return Stream.of(
        row("whole step output equals an object with keys reordered and other number types",
            "steps.fetch.output", EQ, obj("body", obj("ok", true), "status", 200L), true),
        row("whole step output differs on a nested value",
            "steps.fetch.output", EQ, obj("status", 200, "body", obj("ok", false)), false),
        row("object with an extra key is different",
            "input.customer.address", EQ, obj("city", "Paris", "zip", null), false),
        row("object with a missing key is different", "input.customer", EQ, obj("tier", "gold"), false),
        row("nested object equality", "input.customer", EQ,
            obj("address", obj("city", "Paris"), "tier", "gold"), true),
        row("array order matters", "input.tags", EQ, arr("b", "a"), false),
        row("array length matters", "input.tags", EQ, arr("a", "b", "c"), false),
        row("array of objects equality", "input.items", EQ,
            arr(obj("qty", 2.0, "sku", "A1"), obj("qty", 0L, "sku", "B2")), true),
        row("whole input alone resolves to the whole object", "input", EQ, SCOPE.get("input"), true),
        row("whole context equals a rebuilt copy", "context", EQ, obj("retries", 3, "region", "eu"), true));
  }

  @Test
  @DisplayName("every operator is covered by the table")
  void everyOperatorCovered() {
    Set<ConditionOp> covered = Stream.of(eqRows(), neqRows(), gtRows(), gteRows(), ltRows(), lteRows(), inRows(),
            notInRows(), existsRows(), notExistsRows())
        .flatMap(rows -> rows)
        .map(arguments -> ((Condition) arguments.get()[1]).op())
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ConditionOp.class)));
    assertThat(covered).containsExactlyInAnyOrder(ConditionOp.values());
  }

  @Test
  @DisplayName("a missing path makes exists/eq/in/gt/gte/lt/lte false and notExists/neq/notIn true")
  void missingPathTruthTable() {
    Set<ConditionOp> trueWhenMissing = EnumSet.of(NOT_EXISTS, NEQ, NOT_IN);
    for (ConditionOp op : ConditionOp.values()) {
      Object value = op.takesArray() ? arr(1) : op.takesValue() ? 1 : null;
      assertThat(ConditionEvaluator.holds(new Condition("input.absent.deeper", op, value), SCOPE))
          .as(op.wireName())
          .isEqualTo(trueWhenMissing.contains(op));
    }
  }

  @Test
  @DisplayName("an empty scope makes every path missing")
  void emptyScope() {
    assertThat(ConditionEvaluator.holds(new Condition("input", EXISTS, null), Map.of())).isFalse();
    assertThat(ConditionEvaluator.holds(new Condition("input.x", NEQ, 1), Map.of())).isTrue();
  }

  @Test
  @DisplayName("a null condition or operator is a programming error")
  void rejectsNulls() {
    assertThatNullPointerException().isThrownBy(() -> ConditionEvaluator.holds(null, SCOPE));
    assertThatNullPointerException()
        .isThrownBy(() -> ConditionEvaluator.holds(new Condition("input.amount", null, 1), SCOPE))
        .withMessageContaining("op");
    assertThatNullPointerException()
        .isThrownBy(() -> ConditionEvaluator.holds(new Condition(null, EXISTS, null), SCOPE))
        .withMessageContaining("path");
  }

  @Test
  @DisplayName("evaluation does not modify the scope")
  void doesNotMutateScope() {
    String before = SCOPE.toString();
    Arrays.stream(ConditionOp.values())
        .forEach(op -> ConditionEvaluator.holds(new Condition("input.items.0.sku", op, arr("A1")), SCOPE));
    assertThat(SCOPE).hasToString(before);
  }
}
