package io.orchestrator.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;

/** Mints HS256 tokens with the claims this service reads; for local use and tests. */
public final class TokenMinter {

  private final JWTAuth jwt;

  public TokenMinter(Vertx vertx, String hmacSecret) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(hmacSecret)));
  }

  public String mint(String subject, List<String> workspaces, int expiresInSeconds) {
    JsonObject claims = new JsonObject().put("sub", subject).put("workspaces", new JsonArray(workspaces));
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(expiresInSeconds));
  }
}
