package io.orchestrator.common.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Stripe's webhook signing scheme: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} over
 * {@code t + "." + rawBody}, keyed with the whole secret string (prefix included) as UTF-8.
 *
 * <p>Used for outgoing function calls ({@link #OUTGOING_HEADER}) and, via {@link #signature}, by the
 * inbound Stripe verifier, so both sides compute the MAC the same way.
 */
public final class StripeSigner {

  /** Header carrying our signature on outgoing function calls. */
  public static final String OUTGOING_HEADER = "X-Orchestration-Signature";

  private StripeSigner() {
  }

  /**
   * The full header value {@code t=<timestamp>,v1=<hex>} for {@code body}.
   *
   * @param secret the function's whole secret, e.g. {@code whsec_...}; never empty
   * @param body the exact bytes that will be sent
   * @param timestampEpochSeconds signing time in Unix seconds
   */
  public static String header(String secret, byte[] body, long timestampEpochSeconds) {
    return "t=" + timestampEpochSeconds + ",v1=" + signature(secret, timestampEpochSeconds, body);
  }

  /** The lowercase-hex {@code v1} value alone, for {@code secret}, {@code timestampEpochSeconds} and {@code body}. */
  public static String signature(String secret, long timestampEpochSeconds, byte[] body) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = (timestampEpochSeconds + ".").getBytes(StandardCharsets.US_ASCII);
    return HmacSha256.hex(HmacSha256.mac(key, prefix, body));
  }
}
