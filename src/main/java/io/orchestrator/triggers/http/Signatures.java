package io.orchestrator.triggers.http;

import java.util.List;

/** Checks shared by both schemes: header presence, timestamp syntax and freshness, secret list. */
final class Signatures {

  // 18 digits keep any accepted value far from Long overflow while covering every plausible Unix time.
  private static final int MAX_TIMESTAMP_DIGITS = 18;

  private Signatures() {
  }

  static String require(String value, String headerName) throws RejectedSignature {
    if (value == null || value.isBlank()) {
      throw new RejectedSignature("missing " + headerName + " header");
    }
    return value.trim();
  }

  /** Unix seconds from plain ASCII digits only: signs, blanks and decimals are rejected rather than guessed at. */
  static long parseTimestamp(String value, String what) throws RejectedSignature {
    boolean digits = !value.isEmpty() && value.length() <= MAX_TIMESTAMP_DIGITS
        && value.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      throw new RejectedSignature("non-numeric " + what);
    }
    return Long.parseLong(value);
  }

  /** Rejects replays (too old) and clock-skewed or pre-signed requests (too far in the future). */
  static void requireFresh(long timestamp, long nowEpochSeconds) throws RejectedSignature {
    long age = nowEpochSeconds - timestamp;
    if (age > SignatureVerifier.TOLERANCE_SECONDS) {
      throw new RejectedSignature("timestamp " + age + " s old, tolerance "
          + SignatureVerifier.TOLERANCE_SECONDS + " s");
    }
    if (-age > SignatureVerifier.TOLERANCE_SECONDS) {
      throw new RejectedSignature("timestamp " + -age + " s in the future, tolerance "
          + SignatureVerifier.TOLERANCE_SECONDS + " s");
    }
  }

  static void requireSecrets(List<String> secrets) throws RejectedSignature {
    if (secrets == null || secrets.isEmpty()) {
      throw new RejectedSignature("no secrets configured");
    }
  }

  static VerificationResult matched(int index, int count) {
    return VerificationResult.ok("matched secret " + (index + 1) + " of " + count);
  }

  static VerificationResult noMatch(int count) {
    return VerificationResult.invalid("no v1 signature matched any of " + count + " secret(s)");
  }
}
