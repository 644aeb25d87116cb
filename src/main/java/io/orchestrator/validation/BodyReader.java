package io.orchestrator.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Typed reads of request fields that report into {@link Problems} instead of throwing. Each read returns the value
 * when it is usable and null otherwise (missing, wrong type or out of range), so callers can skip checks that
 * depend on it rather than cascade. A field holding JSON null counts as absent: clients that echo a GET response
 * back in a PUT send nulls for unset optional fields.
 */
public final class BodyReader {

  private static final int LONGEST_LONG_DIGITS = 19;

  private final Problems problems;

  public BodyReader(Problems problems) {
    this.problems = problems;
  }

  public Problems problems() {
    return problems;
  }

  /** The field's value, or null when absent or JSON null; never throws, whatever {@code o} holds. */
  public static Object raw(JsonObject o, String key) {
    Object v = o == null ? null : o.getValue(key);
    return v instanceof CharSequence cs ? cs.toString() : v;
  }

  /** The value as a long when it is a JSON integer (1000 and 1000.0 both count), else null; huge ones clamp. */
  public static Long integral(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < Long.SIZE ? b.longValue() : clamp(b.signum());
    }
    if (v instanceof BigDecimal d) {
      return integralDecimal(d.stripTrailingZeros());
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      // the cast saturates at Long.MIN/MAX_VALUE, which every range check then rejects
      return Double.isFinite(d) && d == Math.rint(d) ? (Long) (long) d : null;
    }
    return null;
  }

  private static Long integralDecimal(BigDecimal d) {
    if (d.scale() > 0) {
      return null;
    }
    // avoid materialising 1E+999999999 as a BigInteger
    return d.precision() - d.scale() > LONGEST_LONG_DIGITS ? clamp(d.signum()) : integral(d.toBigIntegerExact());
  }

  private static long clamp(int signum) {
    return signum > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
  }

  public String string(JsonObject o, String parent, String key, boolean required) {
    String path = Problems.path(parent, key);
    Object v = present(o, path, key, required);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    problems.add(path, "must be a string");
    return null;
  }

  /** A string of at most {@code maxLength} characters. */
  public String text(JsonObject o, String parent, String key, boolean required, int maxLength) {
    String s = string(o, parent, key, required);
    return s == null || withinLength(s, Problems.path(parent, key), maxLength) ? s : null;
  }

  /** A string that is not blank and has at most {@code maxLength} characters. */
  public String nonBlankText(JsonObject o, String parent, String key, boolean required, int maxLength) {
    String s = text(o, parent, key, required, maxLength);
    if (s != null && s.isBlank()) {
      problems.add(Problems.path(parent, key), "must not be blank");
      return null;
    }
    return s;
  }

  /** Reports a string longer than {@code maxLength}; true when it fits. */
  public boolean withinLength(String s, String path, int maxLength) {
    if (s.length() <= maxLength) {
      return true;
    }
    problems.add(path, "must be at most " + maxLength + " characters");
    return false;
  }

  /**
   * A JSON integer in [min, max], else null (and a problem). One written as 5e3 or 5000.0 is put back into {@code o}
   * as 5000, so that it is stored, and served, as the integer it is.
   */
  public Long integer(JsonObject o, String parent, String key, boolean required, long min, long max) {
    String path = Problems.path(parent, key);
    Object v = present(o, path, key, required);
    if (v == null) {
      return null;
    }
    Long n = integral(v);
    if (n == null) {
      problems.add(path, "must be an integer");
      return null;
    }
    if (!inRange(n, min, max, path)) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      o.put(key, n);
    }
    return n;
  }

  public Double number(JsonObject o, String parent, String key, boolean required, double min, double max) {
    String path = Problems.path(parent, key);
    Object v = present(o, path, key, required);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) {
      problems.add(path, "must be a number");
      return null;
    }
    double d = n.doubleValue();
    return inRange(d, min, max, path) ? d : null;
  }

  public Boolean bool(JsonObject o, String parent, String key) {
    String path = Problems.path(parent, key);
    Object v = raw(o, key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    problems.add(path, "must be a boolean");
    return null;
  }

  public JsonObject object(JsonObject o, String parent, String key, boolean required) {
    String path = Problems.path(parent, key);
    Object v = present(o, path, key, required);
    if (v == null || v instanceof JsonObject) {
      return (JsonObject) v;
    }
    problems.add(path, "must be an object");
    return null;
  }

  public JsonArray array(JsonObject o, String parent, String key, boolean required) {
    String path = Problems.path(parent, key);
    Object v = present(o, path, key, required);
    if (v == null || v instanceof JsonArray) {
      return (JsonArray) v;
    }
    problems.add(path, "must be an array");
    return null;
  }

  /** A string from a closed set; any other value, of any type, gets the list of allowed ones. */
  public String oneOf(JsonObject o, String parent, String key, boolean required, List<String> allowed) {
    String path = Problems.path(parent, key);
    Object v = present(o, path, key, required);
    if (v == null || allowed.contains(v)) {
      return (String) v;
    }
    problems.add(path, "must be one of: " + String.join(", ", allowed));
    return null;
  }

  private Object present(JsonObject o, String path, String key, boolean required) {
    Object v = raw(o, key);
    if (v == null && required) {
      problems.add(path, "required");
    }
    return v;
  }

  private boolean inRange(double n, double min, double max, String path) {
    if (n >= min && n <= max) {
      return true;
    }
    problems.add(path, "must be between " + format(min) + " and " + format(max));
    return false;
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
  }
}
