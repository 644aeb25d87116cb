package io.orchestrator.engine;

import static io.orchestrator.engine.JsonFixtures.arr;
import static io.orchestrator.engine.JsonFixtures.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("JsonEquality")
class JsonEqualityTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource({"scalarPairs", "containerPairs"})
  @DisplayName("compares values as JSON, symmetrically")
  void equal(String behaviour, Object a, Object b, boolean expected) {
    assertThat(JsonEquality.equal(a, b)).as(behaviour).isEqualTo(expected);
    assertThat(JsonEquality.equal(b, a)).as(behaviour + " (swapped)").isEqualTo(expected);
  }

  static Stream<Arguments> scalarPairs() {
    return Stream.of(
        Arguments.of("null equals null", null, null, true),
        Arguments.of("null does not equal the string \"null\"", null, "null", false),
        Arguments.of("null does not equal 0", null, 0, false),
        Arguments.of("null does not equal false", null, false, false),
        Arguments.of("null does not equal an empty object", null, obj(), false),
        Arguments.of("Integer equals Long", 1, 1L, true),
        Arguments.of("Integer equals Double", 1, 1.0, true),
        Arguments.of("Long equals BigDecimal with trailing zeros", 1L, new BigDecimal("1.000"), true),
        Arguments.of("BigInteger equals Double", BigInteger.TEN, 10.0, true),
        Arguments.of("Byte equals Integer", (byte) 7, 7, true),
        Arguments.of("Double 0.1 equals BigDecimal 0.1", 0.1, new BigDecimal("0.1"), true),
        Arguments.of("Float 0.1 equals Double 0.1", 0.1f, 0.1, true),
        Arguments.of("negative zero equals zero", -0.0, 0, true),
        Arguments.of("large Long keeps full precision", 9_007_199_254_740_993L, 9_007_199_254_740_992L, false),
        Arguments.of("large Long is not rounded into a Double", 9_007_199_254_740_993L, 9.007199254740992E15,
            false),
        Arguments.of("different numbers", 1, 2, false),
        Arguments.of("NaN equals nothing, not even NaN", Double.NaN, Double.NaN, false),
        Arguments.of("infinity equals infinity", Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, true),
        Arguments.of("infinity does not equal a finite number", Double.POSITIVE_INFINITY, Double.MAX_VALUE, false),
        Arguments.of("string \"1\" does not equal number 1", "1", 1, false),
        Arguments.of("strings compare exactly", "a", "a", true),
        Arguments.of("strings are case-sensitive", "a", "A", false),
        Arguments.of("boolean equals boolean", true, true, true),
        Arguments.of("booleans differ", true, false, false),
        Arguments.of("boolean does not equal string", true, "true", false),
        Arguments.of("boolean does not equal number", false, 0, false));
  }

  static Stream<Arguments> containerPairs() {
    return Stream.of(
        Arguments.of("empty objects are equal", obj(), Map.of(), true),
        Arguments.of("objects ignore key order", obj("a", 1, "b", 2), obj("b", 2, "a", 1), true),
        Arguments.of("objects compare across Map implementations", obj("a", 1), new TreeMap<>(Map.of("a", 1L)),
            true),
        Arguments.of("objects compare values deeply", obj("a", obj("b", arr(1, obj("c", null)))),
            obj("a", obj("b", arr(1.0, obj("c", null)))), true),
        Arguments.of("objects differ on a deep value", obj("a", obj("b", 1)), obj("a", obj("b", 2)), false),
        Arguments.of("key holding null differs from absent key", obj("a", null), obj(), false),
        Arguments.of("key holding null differs from other key holding null", obj("a", null), obj("b", null),
            false),
        Arguments.of("object with extra key differs", obj("a", 1), obj("a", 1, "b", 2), false),
        Arguments.of("empty arrays are equal", arr(), List.of(), true),
        Arguments.of("arrays compare element-wise", arr(1, "x", null), arr(1L, "x", null), true),
        Arguments.of("array order matters", arr(1, 2), arr(2, 1), false),
        Arguments.of("array length matters", arr(1), arr(1, 1), false),
        Arguments.of("nested arrays", arr(arr(1), arr()), arr(arr(1.0), arr()), true),
        Arguments.of("array does not equal object", arr("a"), obj("0", "a"), false),
        Arguments.of("empty array does not equal empty object", arr(), obj(), false),
        Arguments.of("array does not equal its only element", arr(1), 1, false));
  }
}
