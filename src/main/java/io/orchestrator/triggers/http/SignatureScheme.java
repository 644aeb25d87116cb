package io.orchestrator.triggers.http;

import java.util.Arrays;
import java.util.Optional;

/** The inbound webhook signature schemes a trigger can require, with their wire names. */
public enum SignatureScheme {
  /** {@code Stripe-Signature: t=<unix s>,v1=<hex>}; HMAC keyed with the whole secret string. */
  STRIPE("stripe"),
  /**
   * {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}; the HMAC key
   * is the base64-decoded part after {@code whsec_}.
   */
  STANDARD_WEBHOOKS("standard-webhooks");

  private final String wireName;

  SignatureScheme(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<SignatureScheme> fromWire(String name) {
    return Arrays.stream(values()).filter(scheme -> scheme.wireName.equals(name)).findFirst();
  }
}
