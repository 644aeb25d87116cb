package io.orchestrator.deploy;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names a PromQL expression selects, as written (a histogram's {@code x_bucket} stays {@code x_bucket}),
 * so each one can be looked up as-is among the sample lines of a Prometheus text exposition.
 *
 * <p>Not a PromQL parser: it blanks out what cannot be a metric name (string literals, {@code #} comments, label
 * matchers in braces, ranges and subqueries in brackets, the label lists of {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right}, {@code offset} and {@code @} modifiers, Grafana
 * variables such as {@code $__rate_interval}), then keeps the identifiers that are neither followed by an opening
 * parenthesis (functions and aggregations) nor keywords. Numbers ({@code 0.99}, {@code 1e3}, {@code 0x1f}) are
 * skipped whole. A name selected only through {@code {__name__="…"}} is not found (none of our files does that).
 */
final class PromQlMetricNames {

  private static final Pattern LABEL_LIST = Pattern.compile(
    "(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern OFFSET = Pattern.compile("(?i)\\boffset\\s+-?[0-9a-z]+");
  private static final Pattern AT = Pattern.compile("@\\s*[-+]?[0-9.]+");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern TOKEN = Pattern.compile(
    "(?<number>0[xX][0-9a-fA-F]+|\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?)"
      + "|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
    "bool", "and", "or", "unless", "atan2", "offset", "inf", "nan");

  private PromQlMetricNames() {
  }

  /** The metric names {@code expr} selects, in order of first appearance. */
  static Set<String> of(String expr) {
    String text = blankBracketsStringsAndComments(expr);
    text = GRAFANA_VARIABLE.matcher(text).replaceAll(" ");
    text = LABEL_LIST.matcher(text).replaceAll(" ");
    text = OFFSET.matcher(text).replaceAll(" ");
    text = AT.matcher(text).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      String name = m.group("name");
      if (name != null && m.group("call") == null && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * One pass that replaces with spaces: string literals (double, single or back quotes, with escapes), comments to
   * the end of the line, and everything inside {@code {…}} and {@code […]}, whose strings may hold braces.
   */
  private static String blankBracketsStringsAndComments(String expr) {
    StringBuilder out = new StringBuilder(expr.length());
    int depth = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = endOfString(expr, i);
        out.append(' ');
      } else if (c == '#') {
        while (i + 1 < expr.length() && expr.charAt(i + 1) != '\n') {
          i++;
        }
        out.append(' ');
      } else if (c == '{' || c == '[') {
        depth++;
        out.append(' ');
      } else if ((c == '}' || c == ']') && depth > 0) {
        depth--;
        out.append(' ');
      } else {
        out.append(depth > 0 ? ' ' : c);
      }
    }
    return out.toString();
  }

  /** The index of the quote that closes the string opened at {@code start} (back quotes have no escapes). */
  private static int endOfString(String expr, int start) {
    char quote = expr.charAt(start);
    int i = start + 1;
    while (i < expr.length() && expr.charAt(i) != quote) {
      i += quote != '`' && expr.charAt(i) == '\\' ? 2 : 1;
    }
    return i;
  }
}
