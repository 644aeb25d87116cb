package io.orchestrator.triggers.http;

import java.util.Objects;

/**
 * Outcome of a signature check. {@code reason} is meant for debug logs: it says why a request was
 * rejected (or which candidate secret matched) and never contains a secret or an expected signature.
 */
public record VerificationResult(boolean valid, String reason) {

  public VerificationResult {
    Objects.requireNonNull(reason, "reason");
  }

  /** Accepted; {@code reason} names the matching secret's position so rotation progress is visible in logs. */
  public static VerificationResult ok(String reason) {
    return new VerificationResult(true, reason);
  }

  public static VerificationResult invalid(String reason) {
    return new VerificationResult(false, reason);
  }
}
