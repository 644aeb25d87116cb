package io.orchestrator.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over a sequence of byte chunks, plus the constant-time comparison every signature check
 * must use. Stateless and thread-safe.
 */
public final class HmacSha256 {

  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private HmacSha256() {
  }

  /**
   * The 32-byte MAC of the concatenation of {@code parts} under {@code key}.
   *
   * @throws IllegalArgumentException if {@code key} is empty (the JCA refuses empty keys)
   */
  public static byte[] mac(byte[] key, byte[]... parts) {
    try {
      // Mac instances carry state and are not thread-safe, so each call gets its own.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every Java platform must provide HmacSHA256, and a non-empty raw SecretKeySpec is always accepted.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Lowercase hex, the encoding Stripe-style {@code v1} signatures use. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * Compares two encoded signatures without an early exit on the first differing byte, so response
   * timing does not reveal how much of a forged signature was right. Lengths may still leak, which is
   * harmless: the expected length is public.
   */
  public static boolean constantTimeEquals(String expected, String provided) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), provided.getBytes(StandardCharsets.UTF_8));
  }
}
