package io.orchestrator.auth;

import io.orchestrator.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization} header into a {@link Principal} and checks workspace access: a missing, malformed,
 * badly signed or expired token, or one without {@code sub}, {@code workspaces} or {@code exp} (a token that never
 * expires is refused), is 401; a valid token without the workspace is 403.
 */
public final class BearerAuthenticator {

  private static final int MAX_CACHED_TOKENS = 10_000;

  /** A token already verified, kept until its {@code exp}: repeat callers skip signature and JSON parsing. */
  private record Verified(Principal principal, long expiresAtMillis) {
  }

  private final JWTAuth jwt;
  private final Clock clock;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  public BearerAuthenticator(JWTAuth jwt, Clock clock) {
    this.jwt = jwt;
    this.clock = clock;
  }

  public Future<Principal> authorize(String authorizationHeader, String workspace) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
      || authorizationHeader.length() <= 7) {
      return Future.failedFuture(ApiException.unauthorized("A Bearer token is required"));
    }
    String token = authorizationHeader.substring(7).trim();
    return verify(token).compose(principal -> principal.canAccess(workspace)
        ? Future.succeededFuture(principal)
        : Future.failedFuture(ApiException.forbidden("The token does not grant access to workspace '" + workspace
          + "'")));
  }

  private Future<Principal> verify(String token) {
    Verified cached = verified.get(token);
    if (cached != null && clock.millis() < cached.expiresAtMillis()) {
      return Future.succeededFuture(cached.principal());
    }
    // compose: the JWT library throws (rather than fails) on some malformed claims, e.g. a string "exp".
    return Future.succeededFuture(token).compose(t -> jwt.authenticate(new TokenCredentials(t)))
      .recover(e -> Future.failedFuture(ApiException.unauthorized("The token is invalid or expired")))
      .compose(user -> principal(user.principal(), user.get("exp")).onSuccess(principal -> {
        if (verified.size() >= MAX_CACHED_TOKENS) {
          verified.clear();
        }
        verified.put(token, new Verified(principal, ((Number) user.get("exp")).longValue() * 1000));
      }));
  }

  /** {@code exp} is passed apart: the JWT library moves the time claims from the principal to the attributes. */
  private static Future<Principal> principal(JsonObject claims, Object exp) {
    Object sub = claims.getValue("sub");
    Object workspaces = claims.getValue("workspaces");
    if (!(sub instanceof String subject) || subject.isBlank() || !(workspaces instanceof JsonArray list)
      || !(exp instanceof Number)) {
      return Future.failedFuture(ApiException.unauthorized("The token needs a 'sub', a 'workspaces' array and an "
        + "'exp'"));
    }
    Set<String> granted = new HashSet<>();
    list.forEach(w -> {
      if (w instanceof String s) {
        granted.add(s);
      }
    });
    return Future.succeededFuture(new Principal(subject, granted,
      Instant.ofEpochSecond(((Number) exp).longValue())));
  }
}
