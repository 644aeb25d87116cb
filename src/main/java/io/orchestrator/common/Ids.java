package io.orchestrator.common;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Time-sortable ids: a prefix, then 10 Crockford base-32 characters of milliseconds since the epoch and 16 of
 * randomness (ULID layout, lower case), e.g. {@code orch_01jh5v2k8q3w9x7c4b6n1m0p2r}. Ids of one prefix sort by
 * creation time as strings.
 */
public final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;

  public Ids(Clock clock) {
    this.clock = clock;
  }

  public String orchestration() {
    return next("orch_");
  }

  public String function() {
    return next("func_");
  }

  public String run() {
    return next("run_");
  }

  public String task() {
    return next("task_");
  }

  public String next(String prefix) {
    char[] out = new char[26];
    long time = clock.millis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    for (int i = 0; i < 16; i++) {
      out[10 + i] = ALPHABET[random[i] & 31];
    }
    return prefix + new String(out);
  }
}
