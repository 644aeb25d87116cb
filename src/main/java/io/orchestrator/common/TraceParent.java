package io.orchestrator.common;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/): {@code version-traceid-parentid-
 * flags}, lower-case hex. Parsing follows the spec's rules: version {@code 00} is exactly 55 characters; a higher
 * version (not {@code ff}) is read by the version-00 prefix and may carry more after a {@code -}; all-zero trace or
 * parent ids, upper-case hex and every other shape are refused (the caller then starts a new trace). Plain Java.
 *
 * @param traceId  32 lower-case hex digits, not all zero
 * @param parentId 16 lower-case hex digits, not all zero: the caller's span
 * @param flags    the trace flags byte ({@code 01} = sampled)
 */
public record TraceParent(String traceId, String parentId, int flags) {

  /** The flags of a trace this service starts: sampled, so the functions it calls may record their spans. */
  public static final int SAMPLED = 1;
  /** Longer {@code tracestate} values are dropped rather than passed on (the spec's 512-character guidance). */
  public static final int MAX_TRACE_STATE = 512;

  private static final int V0_LENGTH = 55;
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

  /** @return the parsed header, or empty when it is absent or malformed in any way */
  public static Optional<TraceParent> parse(String header) {
    if (header == null || header.length() < V0_LENGTH || !hex(header, 0, 2)) {
      return Optional.empty();
    }
    boolean v0 = header.startsWith("00");
    if (header.startsWith("ff") || (v0 && header.length() != V0_LENGTH)
      || (!v0 && header.length() > V0_LENGTH && header.charAt(V0_LENGTH) != '-')) {
      return Optional.empty();
    }
    if (header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-'
      || !hex(header, 3, 35) || !hex(header, 36, 52) || !hex(header, 53, 55)) {
      return Optional.empty();
    }
    String traceId = header.substring(3, 35);
    String parentId = header.substring(36, 52);
    if (zero(traceId) || zero(parentId)) {
      return Optional.empty();
    }
    return Optional.of(new TraceParent(traceId, parentId, Integer.parseInt(header.substring(53, 55), 16)));
  }

  /**
   * The {@code traceparent} of a request's header values: only a single header counts (the spec treats several as
   * invalid, since they cannot be combined).
   */
  public static Optional<TraceParent> parse(List<String> headerValues) {
    return headerValues == null || headerValues.size() != 1 ? Optional.empty() : parse(headerValues.get(0));
  }

  /** A {@code tracestate} worth passing on: present, printable ASCII, not over {@link #MAX_TRACE_STATE}; else null. */
  public static String traceState(String header) {
    if (header == null || header.isBlank() || header.length() > MAX_TRACE_STATE) {
      return null;
    }
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return null;
      }
    }
    return header.trim();
  }

  /** The version-00 header naming {@code spanId} as the parent, for a call made inside this trace. */
  public static String header(String traceId, String spanId, int flags) {
    return "00-" + traceId + "-" + spanId + "-" + HEX[(flags >> 4) & 15] + HEX[flags & 15];
  }

  public boolean sampled() {
    return (flags & SAMPLED) != 0;
  }

  /** A new random span id: 16 lower-case hex digits, never all zero. */
  public static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return hex(id);
  }

  /**
   * The trace id of a run started without a {@code traceparent}: its run id's 128 bits ({@code run_} + 26 base-32
   * characters, ULID layout: time, then randomness) in hex, so that it need not be stored. Other ids (tests'
   * hand-made ones) get a name-based UUID's bits.
   */
  public static String traceIdOfRun(String runId) {
    String ulid = runId.startsWith("run_") ? runId.substring(4) : runId;
    long high = 0;
    long low = 0;
    if (ulid.length() == 26) {
      for (int i = 0; i < 26; i++) {
        int d = CROCKFORD.indexOf(Character.toLowerCase(ulid.charAt(i)));
        if (d < 0) {
          return nameBased(runId);
        }
        high = (high << 5) | (low >>> 59);
        low = (low << 5) | d;
      }
      if (high != 0 || low != 0) {
        return hex(high) + hex(low);
      }
    }
    return nameBased(runId);
  }

  /** The span id of a run's own span, derived from its id so that any instance can name it as a parent. */
  public static String runSpanId(String runId) {
    long id = UUID.nameUUIDFromBytes(("span:" + runId).getBytes(StandardCharsets.UTF_8))
      .getLeastSignificantBits();
    return hex(id == 0 ? 1 : id);
  }

  private static String nameBased(String id) {
    UUID uuid = UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    return hex(uuid.getMostSignificantBits()) + hex(uuid.getLeastSignificantBits());
  }

  private static String hex(long value) {
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (value & 15)];
      value >>>= 4;
    }
    return new String(out);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zero(String hex) {
    for (int i = 0; i < hex.length(); i++) {
      if (hex.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
