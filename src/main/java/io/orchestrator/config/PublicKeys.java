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

  private static PublicKey parse(String pem) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
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
