package io.orchestrator.engine;

import java.math.BigDecimal;
import java.util.OptionalInt;

/** Compares JSON numbers by value, whatever Java type the parser or the author happened to produce. */
final class JsonNumbers {

  private JsonNumbers() {
  }

  /**
   * Orders two values when both are numbers; empty when either is not a number or is NaN (NaN has no order and
   * cannot come from JSON anyway).
   */
  static OptionalInt compare(Object a, Object b) {
    if (!(a instanceof Number x) || !(b instanceof Number y) || isNaN(x) || isNaN(y)) {
      return OptionalInt.empty();
    }
    BigDecimal bx = exact(x);
    BigDecimal by = exact(y);
    if (bx == null || by == null) {
      // An infinity is involved: doubles order infinities correctly against everything finite.
      return OptionalInt.of(Double.compare(x.doubleValue(), y.doubleValue()));
    }
    return OptionalInt.of(Integer.signum(bx.compareTo(by)));
  }

  private static boolean isNaN(Number n) {
    return (n instanceof Double || n instanceof Float) && Double.isNaN(n.doubleValue());
  }

  /**
   * The decimal value of {@code n}, or null when it is not finite. Doubles go through their shortest decimal
   * string so that 0.1 (double) equals 0.1 (BigDecimal), which is what a JSON author means.
   */
  private static BigDecimal exact(Number n) {
    if (n instanceof BigDecimal decimal) {
      return decimal;
    }
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (n instanceof Double || n instanceof Float) {
      return Double.isFinite(n.doubleValue()) ? new BigDecimal(n.toString()) : null;
    }
    try {
      return new BigDecimal(n.toString());
    } catch (NumberFormatException notDecimal) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
  }
}
