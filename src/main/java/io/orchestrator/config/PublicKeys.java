package io.orchestrator.config;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads {@code ORCH_JWT_PUBLIC_KEY} at start-up so a bad key fails configuration, not the first request. */
public final class PublicKeys {

  private static final String VARIABLE = "ORCH_JWT_PUBLIC_KEY";

  private PublicKeys() {
  }

  /**
   * The JWS algorithm for a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo): RS256 for RSA; ES256, ES384 or
   * ES512 for an EC key on P-256, P-384 or P-521.
   *
   * @throws ConfigException naming the variable when the text is not such a key
   */
  public static String jwtAlgorithm(String pem) {
    PublicKey key = parse(pem);
    if (key instanceof ECPublicKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> "ES256";
        case 384 -> "ES384";
        case 521 -> "ES512";
        default -> throw new ConfigException(VARIABLE + " must be an EC key on P-256, P-384 or P-521");
      };
    }
    return "RS256";
  }

  /**
   * The key re-encoded as a canonical PEM (64-column base64 between header and footer lines), whatever the
   * wrapping of the input: one line, CRLF, or literal "\n" escapes as .env files and secret stores produce.
   *
   * @throws ConfigException naming the variable when the text is not an RSA or EC public key
   */
  public static String canonicalPem(String pem) {
    byte[] der = parse(pem).getEncoded();
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----";
  }

  private static PublicKey parse(String pem) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.replace("\\n", "\n")
        .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(VARIABLE + " is not valid base64 PEM");
    }
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (Exception e) {
        // not this key type; try the next
      }
    }
    throw new ConfigException(VARIABLE + " must be an RSA or EC public key");
  }
}
