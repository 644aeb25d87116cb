package io.orchestrator.triggers.http;

import io.orchestrator.common.crypto.HmacSha256;
import io.orchestrator.common.crypto.StripeSigner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Stripe's scheme: {@code Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>...]}. Any {@code v1} may
 * match (Stripe sends several while one of its secrets rolls); other schemes such as {@code v0} are
 * ignored because they are not HMAC-SHA256.
 */
final class StripeVerifier {

  static final String HEADER = "Stripe-Signature";

  private record ParsedHeader(long timestamp, List<String> signatures) {
  }

  private StripeVerifier() {
  }

  static VerificationResult verify(Function<String, String> header, byte[] body, List<String> secrets,
      long nowEpochSeconds) {
    try {
      Signatures.requireSecrets(secrets);
      ParsedHeader parsed = parse(Signatures.require(header.apply(HEADER), HEADER));
      Signatures.requireFresh(parsed.timestamp(), nowEpochSeconds);
      return match(parsed, body, secrets);
    } catch (RejectedSignature e) {
      return VerificationResult.invalid(e.getMessage());
    }
  }

  private static ParsedHeader parse(String value) throws RejectedSignature {
    String timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String item : value.split(",")) {
      int eq = item.indexOf('=');
      // Items without '=' or with unknown keys are skipped, as Stripe's own libraries do.
      String key = eq < 0 ? "" : item.substring(0, eq).trim();
      String val = eq < 0 ? "" : item.substring(eq + 1).trim();
      if (key.equals("t")) {
        if (timestamp != null) {
          throw new RejectedSignature("malformed " + HEADER + " header: more than one t");
        }
        timestamp = val;
      } else if (key.equals("v1")) {
        signatures.add(val);
      }
    }
    if (timestamp == null) {
      throw new RejectedSignature("malformed " + HEADER + " header: no t");
    }
    if (signatures.isEmpty()) {
      throw new RejectedSignature("malformed " + HEADER + " header: no v1 signature");
    }
    return new ParsedHeader(Signatures.parseTimestamp(timestamp, HEADER + " t"), signatures);
  }

  private static VerificationResult match(ParsedHeader parsed, byte[] body, List<String> secrets) {
    for (int i = 0; i < secrets.size(); i++) {
      String secret = secrets.get(i);
      if (secret == null || secret.isEmpty()) {
        continue;
      }
      String expected = StripeSigner.signature(secret, parsed.timestamp(), body);
      for (String candidate : parsed.signatures()) {
        if (HmacSha256.constantTimeEquals(expected, candidate)) {
          return Signatures.matched(i, secrets.size());
        }
      }
    }
    return Signatures.noMatch(secrets.size());
  }
}
