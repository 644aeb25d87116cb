package io.orchestrator.functions;

import io.orchestrator.validation.BodyReader;
import io.orchestrator.validation.Problems;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a function's {@code headers}: an object of at most 50 names to string values that can be sent as HTTP
 * header fields as they are (RFC 9110 token names; values without CR, LF or other control characters, which
 * would let a value inject further headers).
 */
final class FunctionHeaders {

  static final int MAX_HEADERS = 50;
  static final int MAX_VALUE = 4096;
  static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
  /** Framing headers belong to the HTTP client; the rest are the invocation contract of DESIGN.md §5. */
  static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "transfer-encoding",
    "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "idempotency-key",
    "x-orchestration-signature");

  private final BodyReader reader;
  private final Problems problems;

  FunctionHeaders(BodyReader reader) {
    this.reader = reader;
    this.problems = reader.problems();
  }

  void validate(JsonObject body) {
    JsonObject headers = reader.object(body, "", "headers", false);
    if (headers == null) {
      return;
    }
    if (headers.size() > MAX_HEADERS) {
      problems.add("headers", "must have at most " + MAX_HEADERS + " entries");
    }
    Map<String, String> seen = new HashMap<>();
    for (String name : headers.fieldNames()) {
      String path = Problems.path("headers", name);
      checkName(name, path, seen);
      checkValue(BodyReader.raw(headers, name), path);
    }
  }

  private void checkName(String name, String path, Map<String, String> seen) {
    String lower = name.toLowerCase(Locale.ROOT);
    String first = seen.putIfAbsent(lower, name);
    if (!TOKEN.matcher(name).matches()) {
      problems.add(path, "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)");
    } else if (RESERVED.contains(lower)) {
      problems.add(path, "is set by the orchestrator and cannot be overridden");
    } else if (first != null) {
      // header names are case-insensitive, so both would go out and the function would see either
      problems.add(path, "duplicates header '" + first + "'");
    }
  }

  private void checkValue(Object value, String path) {
    if (!(value instanceof String text)) {
      problems.add(path, "must be a string");
    } else if (text.length() > MAX_VALUE) {
      problems.add(path, "must be at most " + MAX_VALUE + " characters");
    } else if (text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
      problems.add(path, "must not contain line breaks or other control characters");
    }
  }
}
