package io.orchestrator.api.console;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Mounts the console beside the OpenAPI routes: {@code GET /console} redirects to {@code /console/}, which serves
 * {@code index.html} and the ES modules and stylesheet beside it from the classpath directory {@code console/}
 * (no token: the files hold no data; the data comes from the API with the signed-in token). Every response under
 * {@code /console} carries {@link #CONTENT_SECURITY_POLICY} and {@code X-Content-Type-Options: nosniff}. Files are
 * sent with {@code Cache-Control: no-cache}: their names carry no content hash (there is no build step), so a
 * browser must not keep a stale module after an upgrade.
 */
public final class ConsoleRoutes {

  /** Scripts, styles, images and connections from this origin only; no inline script or style, no framing. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
    + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    + "frame-ancestors 'none'; form-action 'self'";
  static final String WEB_ROOT = "console";

  private ConsoleRoutes() {
  }

  /**
   * @param devTokens the zero-set-up sign-in, or null where it does not exist (any deployment with its own stores):
   *                  then {@code /console/dev-token} is an unknown path like any other
   */
  public static void mount(Router router, DevTokens devTokens) {
    router.route("/console*").handler(ConsoleRoutes::securityHeaders);
    router.getWithRegex("^/console$").handler(ctx -> ctx.redirect("/console/"));
    if (devTokens != null) {
      router.get(DevTokens.PATH).handler(devTokens::available);
      router.post(DevTokens.PATH).handler(devTokens::mint);
    }
    router.route("/console/*").handler(StaticHandler.create(WEB_ROOT)
      .setIndexPage("index.html")
      .setCachingEnabled(false)
      .setDirectoryListing(false)
      .setIncludeHidden(false)
      .setDefaultContentEncoding("UTF-8"));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
      .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .set("X-Content-Type-Options", "nosniff")
      .set("Referrer-Policy", "no-referrer")
      .set("X-Frame-Options", "DENY")
      .set(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }
}
