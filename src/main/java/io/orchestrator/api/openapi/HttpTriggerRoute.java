package io.orchestrator.api.openapi;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public http-trigger endpoint {@code POST …/workspaces/{ws}/http-triggers{path}} and the three ways it leaves
 * the OpenAPI router's normal path.
 * <ul>
 *   <li>A side route. An OpenAPI path template cannot span segments, and the router turns {@code {triggerPath}} into
 *       a vertx-web {@code :triggerPath} that matches one segment, so openapi.yaml documents the endpoint with one
 *       segment and {@link #mount} adds a regex route (after the contract's routes) serving trigger paths of any
 *       depth with the same handler.</li>
 *   <li>No validation. Its body is whatever the sender posts, in any content type (the raw bytes are what
 *       signatures cover); the router's validator would reject any type the contract does not list.</li>
 *   <li>No JWT and no JSON requirement: {@link #isPublic} tells the root guards, which run before any route is
 *       known, to let these paths through ({@link AuthenticationFirst}, {@link JsonBodyGuard}).</li>
 * </ul>
 */
public final class HttpTriggerRoute {

  public static final String OPERATION = "receiveHttpTrigger";
  /**
   * Group 1: the workspace slug, group 2: the trigger path with its leading '/'. Matched against the normalised
   * path, as every route is: dot segments resolved, "//" collapsed.
   */
  public static final Pattern PATH =
    Pattern.compile("^/orchestration/api/v1/workspaces/([^/]+)/http-triggers(/.+)$");

  private HttpTriggerRoute() {
  }

  /** Routes POSTs with a trigger path of any depth to {@code handler} (after the OpenAPI routes). */
  static void mount(Router router, Handler<RoutingContext> handler) {
    router.postWithRegex(PATH.pattern()).handler(handler);
  }

  /** Whether the request is for the public endpoint, {@code …/http-triggers} itself included (which answers 404). */
  static boolean isPublic(RoutingContext ctx) {
    Matcher m = AuthenticationFirst.WORKSPACE_PATH.matcher(ctx.normalizedPath());
    return m.matches() && m.group(2) != null
      && (m.group(2).equals("/http-triggers") || m.group(2).startsWith("/http-triggers/"));
  }
}
