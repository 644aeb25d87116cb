package io.orchestrator.triggers.http;

import io.orchestrator.common.crypto.StripeSigner;
import io.vertx.core.MultiMap;

/** Signed webhook headers made with the project's own signers, for tests outside this package. */
public final class TestSigners {

  private TestSigners() {
  }

  /** {@code Stripe-Signature: t=…,v1=…} for {@code body} signed at {@code timestamp} (Unix s). */
  public static MultiMap stripe(String secret, byte[] body, long timestamp) {
    return MultiMap.caseInsensitiveMultiMap().add("Stripe-Signature", StripeSigner.header(secret, body, timestamp));
  }

  /** {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature: v1,…} for {@code body}. */
  public static MultiMap standardWebhooks(String secret, String id, byte[] body, long timestamp) {
    byte[] key = StandardWebhooksVerifier.decodeKey(secret)
      .orElseThrow(() -> new IllegalArgumentException("not a whsec_ base64 secret"));
    return MultiMap.caseInsensitiveMultiMap()
      .add(StandardWebhooksVerifier.ID_HEADER, id)
      .add(StandardWebhooksVerifier.TIMESTAMP_HEADER, Long.toString(timestamp))
      .add(StandardWebhooksVerifier.SIGNATURE_HEADER,
        "v1," + StandardWebhooksVerifier.signature(key, id, timestamp, body));
  }
}
