package io.orchestrator.api.openapi;

import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.auth.Principal;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer authentication with workspace access (401/403), as a root handler chosen by a path regex instead of the
 * router's own security. The router builder adds a route's security handler on the route, after every root handler
 * (the body limit, the 415 and strict-JSON checks of {@link JsonBodyGuard}), and wants one
 * {@code AuthenticationHandler} per scheme of openapi.yaml ({@code createRouter} throws "Missing security handler"
 * otherwise), which knows nothing of the workspace in the path. So security is off on every route
 * ({@code setDoSecurity(false)}) and this runs first: a request without a valid token is 401 whatever its body or
 * Content-Type. Root handlers run before any route is matched, so the paths that need a token are told by
 * {@link #WORKSPACE_PATH}, the public http-trigger endpoint excepted ({@link HttpTriggerRoute#isPublic}).
 */
public final class AuthenticationFirst {

  static final Pattern WORKSPACE_PATH = Pattern.compile("^/orchestration/api/v1/workspaces/([^/]+)(/.*)?$");
  private static final String PRINCIPAL = "principal";

  private final BearerAuthenticator authenticator;

  AuthenticationFirst(BearerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Who sent the request, once {@link #authenticate} let it through; null on public paths. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /**
   * Reads the path the router matches on (dot segments removed, "//" collapsed, unreserved escapes decoded) and
   * decodes the slug as the router decodes path parameters; the raw path would let {@code /workspaces/a/../b/…}
   * authorise for a and be served for b.
   */
  void authenticate(RoutingContext ctx) {
    Matcher m = WORKSPACE_PATH.matcher(ctx.normalizedPath());
    if (!m.matches() || HttpTriggerRoute.isPublic(ctx)) {
      ctx.next();
      return;
    }
    authenticator.authorize(ctx.request().getHeader("Authorization"), slug(m.group(1)))
      .onSuccess(principal -> {
        ctx.put(PRINCIPAL, principal);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }

  /** The workspace segment decoded as the router decodes path parameters ('+' stays '+'). */
  private static String slug(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }
}
