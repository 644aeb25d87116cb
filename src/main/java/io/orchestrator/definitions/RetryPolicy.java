package io.orchestrator.definitions;

/** {@code maxAttempts} counts every attempt, the first included; the n-th retry waits backoffMs * multiplier^(n-1). */
public record RetryPolicy(int maxAttempts, long backoffMs, double backoffMultiplier) {

  /** Delay before attempt {@code nextAttempt} (2 for the first retry). */
  public long delayBefore(int nextAttempt) {
    return Math.round(backoffMs * Math.pow(backoffMultiplier, Math.max(0, nextAttempt - 2)));
  }
}
