package io.orchestrator.auth;

import io.orchestrator.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns an {@code Authorization} header into a {@link Principal} and checks workspace access: a missing, malformed,
 * badly signed or expired token is 401; a valid token without the workspace is 403.
 */
public final class BearerAuthenticator {

  private final JWTAuth jwt;

  public BearerAuthenticator(JWTAuth jwt) {
    this.jwt = jwt;
  }

  public Future<Principal> authorize(String authorizationHeader, String workspace) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
      || authorizationHeader.length() <= 7) {
      return Future.failedFuture(ApiException.unauthorized("A Bearer token is required"));
    }
    String token = authorizationHeader.substring(7).trim();
    return jwt.authenticate(new TokenCredentials(token))
      .recover(e -> Future.failedFuture(ApiException.unauthorized("The token is invalid or expired")))
      .compose(user -> principal(user.principal()))
      .compose(principal -> principal.canAccess(workspace)
        ? Future.succeededFuture(principal)
        : Future.failedFuture(ApiException.forbidden("The token does not grant access to workspace '" + workspace
          + "'")));
  }

  private static Future<Principal> principal(JsonObject claims) {
    Object sub = claims.getValue("sub");
    Object workspaces = claims.getValue("workspaces");
    if (!(sub instanceof String subject) || subject.isBlank() || !(workspaces instanceof JsonArray list)) {
      return Future.failedFuture(ApiException.unauthorized("The token needs a 'sub' and a 'workspaces' array"));
    }
    Set<String> granted = new HashSet<>();
    list.forEach(w -> {
      if (w instanceof String s) {
        granted.add(s);
      }
    });
    return Future.succeededFuture(new Principal(subject, granted));
  }
}
