package io.orchestrator.triggers.http;

import io.orchestrator.common.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Standard Webhooks scheme: HMAC-SHA256 over {@code id + "." + timestamp + "." + body}, keyed with
 * the base64-decoded secret, sent as space-separated {@code v1,<base64>} entries. Entries with other
 * version tags (e.g. {@code v1a}, an asymmetric variant) are ignored.
 */
final class StandardWebhooksVerifier {

  static final String ID_HEADER = "webhook-id";
  static final String TIMESTAMP_HEADER = "webhook-timestamp";
  static final String SIGNATURE_HEADER = "webhook-signature";

  private static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1";

  private StandardWebhooksVerifier() {
  }

  static VerificationResult verify(Function<String, String> header, byte[] body, List<String> secrets,
      long nowEpochSeconds) {
    try {
      Signatures.requireSecrets(secrets);
      String id = Signatures.require(header.apply(ID_HEADER), ID_HEADER);
      String rawTimestamp = Signatures.require(header.apply(TIMESTAMP_HEADER), TIMESTAMP_HEADER);
      List<String> signatures = parseSignatures(
          Signatures.require(header.apply(SIGNATURE_HEADER), SIGNATURE_HEADER));
      long timestamp = Signatures.parseTimestamp(rawTimestamp, TIMESTAMP_HEADER);
      Signatures.requireFresh(timestamp, nowEpochSeconds);
      return match(id, timestamp, body, signatures, secrets);
    } catch (RejectedSignature e) {
      return VerificationResult.invalid(e.getMessage());
    }
  }

  /** The standard base64 {@code v1} signature; package-private so tests can build requests. */
  static String signature(byte[] key, String id, long timestamp, byte[] body) {
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(HmacSha256.mac(key, prefix, body));
  }

  /**
   * The HMAC key behind a secret: the base64 after {@code whsec_}, or the whole string when unprefixed.
   * Empty when the secret does not decode to a usable key.
   */
  static Optional<byte[]> decodeKey(String secret) {
    if (secret == null) {
      return Optional.empty();
    }
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      return key.length == 0 ? Optional.empty() : Optional.of(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static List<String> parseSignatures(String value) throws RejectedSignature {
    List<String> signatures = new ArrayList<>();
    for (String entry : value.split(" +")) {
      int comma = entry.indexOf(',');
      if (comma > 0 && entry.substring(0, comma).equals(VERSION)) {
        signatures.add(entry.substring(comma + 1));
      }
    }
    if (signatures.isEmpty()) {
      throw new RejectedSignature("malformed " + SIGNATURE_HEADER + " header: no v1 signature");
    }
    return signatures;
  }

  private static VerificationResult match(String id, long timestamp, byte[] body, List<String> signatures,
      List<String> secrets) {
    for (int i = 0; i < secrets.size(); i++) {
      Optional<byte[]> key = decodeKey(secrets.get(i));
      if (key.isEmpty()) {
        continue;
      }
      String expected = signature(key.get(), id, timestamp, body);
      for (String candidate : signatures) {
        if (HmacSha256.constantTimeEquals(expected, candidate)) {
          return Signatures.matched(i, secrets.size());
        }
      }
    }
    return Signatures.noMatch(secrets.size());
  }
}
