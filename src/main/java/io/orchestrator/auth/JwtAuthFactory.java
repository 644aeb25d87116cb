package io.orchestrator.auth;

import io.orchestrator.config.AppConfig;
import io.orchestrator.config.PublicKeys;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/** Builds the token verifier: HS256 with a shared secret, or RS256 / ES256 with a PEM public key. */
public final class JwtAuthFactory {

  /**
   * Tolerance for {@code exp}, {@code nbf} and {@code iat} against this host's clock: without it a token minted on a
   * host whose clock runs a second ahead is refused ("iat in the future").
   */
  public static final int CLOCK_SKEW_SECONDS = 30;

  private JwtAuthFactory() {
  }

  public static JWTAuth create(Vertx vertx, AppConfig.Auth auth) {
    PubSecKeyOptions key = auth.hmacSecret() != null
      ? new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(auth.hmacSecret())
      : new PubSecKeyOptions().setAlgorithm(algorithmOf(auth.publicKeyPem())).setBuffer(auth.publicKeyPem());
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key)
      .setJWTOptions(new JWTOptions().setLeeway(CLOCK_SKEW_SECONDS)));
  }

  /** RS256 for an RSA key, ES256 (ES384, ES512) for an EC key; anything else is a configuration error. */
  static String algorithmOf(String pem) {
    return PublicKeys.jwtAlgorithm(pem);
  }
}
