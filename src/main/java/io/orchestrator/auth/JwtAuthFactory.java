package io.orchestrator.auth;

import io.orchestrator.config.AppConfig;
import io.orchestrator.config.PublicKeys;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

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

  /** RS256 for an RSA key, ES256 (ES384, ES512) for an EC key; anything else is a configuration error. */
  static String algorithmOf(String pem) {
    return PublicKeys.jwtAlgorithm(pem);
  }
}
