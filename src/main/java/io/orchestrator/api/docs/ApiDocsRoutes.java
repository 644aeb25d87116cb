package io.orchestrator.api.docs;

import io.orchestrator.api.console.ConsoleRoutes;
import io.orchestrator.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;

/**
 * Mounts the API explorer beside the OpenAPI routes: {@code GET /orchestration/api/v1/docs} redirects to
 * {@link #PATH}, which serves our own {@code index.html} and {@code swagger-initializer.js} (classpath
 * {@code api-docs/}; the WebJar's own initializer, which loads the petstore, is never served) and the few files of
 * the Swagger UI WebJar the page loads, all from the jar: the page works offline. No token: the files hold no data;
 * the calls the explorer makes are the API's, with the bearer token entered under Authorize. Any other name under
 * {@link #PATH} is 404. Every response carries {@link #CONTENT_SECURITY_POLICY}, {@code nosniff} and
 * {@code Cache-Control: no-cache} (the names carry no version: a browser revalidates, and gets 304 while a file is
 * unchanged).
 */
public final class ApiDocsRoutes {

  public static final String PATH = "/orchestration/api/v1/docs/";
  /**
   * The console's policy: scripts, styles, images and connections from this origin only (Swagger UI's icons are
   * {@code data:} SVGs), no inline script or style attribute, no framing. Swagger UI needs no more: React sets its
   * styles through the DOM, which the policy allows (ApiDocsBrowserIT records every violation while it is used).
   */
  public static final String CONTENT_SECURITY_POLICY = ConsoleRoutes.CONTENT_SECURITY_POLICY;
  /** The WebJar's version is read from its pom.properties, so the pom names it once. */
  static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  static final String WEB_ROOT = "api-docs";
  /** Served from {@link #WEB_ROOT}; "" is the directory, i.e. index.html. */
  private static final Set<String> OWN_FILES = Set.of("", "index.html", "swagger-initializer.js");
  /** Served from the WebJar: what index.html loads (no standalone preset: no top bar to load another document). */
  private static final Set<String> WEBJAR_FILES = Set.of("swagger-ui.css", "swagger-ui-bundle.js", "index.css",
    "favicon-32x32.png", "favicon-16x16.png");

  private ApiDocsRoutes() {
  }

  /** Reads the WebJar's version, then mounts the routes; fails when the WebJar is not on the classpath. */
  public static Future<Void> mount(Vertx vertx, Router router) {
    return webJarRoot(vertx).map(root -> {
      mount(router, root);
      return null;
    });
  }

  /** The WebJar's directory on the classpath, e.g. {@code META-INF/resources/webjars/swagger-ui/5.35.0}. */
  static Future<String> webJarRoot(Vertx vertx) {
    return vertx.fileSystem().readFile(WEBJAR_PROPERTIES).map(buffer -> {
      Properties properties = new Properties();
      try {
        properties.load(new StringReader(buffer.toString(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String version = properties.getProperty("version");
      if (version == null || version.isBlank()) {
        throw new IllegalStateException(WEBJAR_PROPERTIES + " names no version");
      }
      return "META-INF/resources/webjars/swagger-ui/" + version.trim();
    });
  }

  private static void mount(Router router, String webJarRoot) {
    router.route("/orchestration/api/v1/docs*").handler(ApiDocsRoutes::securityHeaders);
    router.routeWithRegex("^/orchestration/api/v1/docs$").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(ctx -> ctx.redirect(PATH));
    router.route(PATH + "*")
      .handler(ApiDocsRoutes::knownFilesOnly)
      .handler(files(StaticHandler.create(WEB_ROOT).setIndexPage("index.html")))
      .handler(files(StaticHandler.create(webJarRoot)));
  }

  private static StaticHandler files(StaticHandler handler) {
    return handler.setDirectoryListing(false).setIncludeHidden(false).setDefaultContentEncoding("UTF-8");
  }

  /** Lets only the page's own files through to the static handlers: nothing else of the WebJar is served. */
  private static void knownFilesOnly(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String name = path.startsWith(PATH) ? path.substring(PATH.length()) : path;
    if (OWN_FILES.contains(name) || WEBJAR_FILES.contains(name)) {
      ctx.next();
    } else {
      ctx.fail(ApiException.notFound("No such endpoint"));
    }
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
      .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .set("X-Content-Type-Options", "nosniff")
      .set("Referrer-Policy", "no-referrer")
      .set("X-Frame-Options", "DENY");
    // set last, over StaticHandler's "public, immutable, max-age": it keeps Last-Modified and its 304s
    ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
    ctx.next();
  }
}
