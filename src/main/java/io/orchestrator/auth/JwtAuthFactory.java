package io.orchestrator.auth;

import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Builds the token verifier: HS256 with a shared secret, or RS256 / ES256 with a PEM public key. */
public final class JwtAuthFactory {

  private JwtAuthFactory() {
  }

  public static JWTAuth create(Vertx vertx, AppConfig.Auth auth) {
    PubSecKeyOptions key = auth.hmacSecret() != null
      ? new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(auth.hmacSecret())
      : new PubSecKeyOptions().setAlgorithm(algorithmOf(auth.publicKeyPem())).setBuffer(auth.publicKeyPem());
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
  }

  /** RS256 for an RSA key, ES256 for an EC key; anything else is a configuration error. */
  static String algorithmOf(String pem) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("ORCH_JWT_PUBLIC_KEY is not valid base64 PEM");
    }
    for (String[] candidate : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(candidate[0]).generatePublic(new X509EncodedKeySpec(der));
        return candidate[1];
      } catch (Exception e) {
        // not this key type; try the next
      }
    }
    throw new ConfigException("ORCH_JWT_PUBLIC_KEY must be an RSA or EC public key");
  }
}
