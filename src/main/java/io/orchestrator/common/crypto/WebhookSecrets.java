package io.orchestrator.common.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates signing secrets in the {@code whsec_<base64>} format shared by Stripe and Standard Webhooks. */
public final class WebhookSecrets {

  /** Prefix every generated secret carries. */
  public static final String PREFIX = "whsec_";

  /** Random bytes behind each secret: 256 bits, matching the HMAC-SHA256 block strength. */
  public static final int KEY_BYTES = 32;

  // SecureRandom is thread-safe; one instance avoids re-seeding cost per call.
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSecrets() {
  }

  /** A fresh secret: {@link #PREFIX} followed by the standard (padded) base64 of {@link #KEY_BYTES} random bytes. */
  public static String generate() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }
}
