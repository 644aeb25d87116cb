package io.orchestrator.api;

import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.auth.Principal;
import io.orchestrator.common.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that run before routing and validation, in this order: Bearer authentication with workspace access
 * (401/403) on every workspace path except the public http-trigger endpoint, then JSON-only bodies (415), which
 * must be strict JSON (400).
 */
final class RequestGuards {

  private static final Pattern WORKSPACE_PATH =
    Pattern.compile("^/orchestration/api/v1/workspaces/([^/]+)(/.*)?$");
  private static final String PRINCIPAL = "principal";

  private final BearerAuthenticator authenticator;

  RequestGuards(BearerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  void requireJson(RoutingContext ctx) {
    if (isPublicWebhook(ctx) || !hasBody(ctx)) {
      ctx.next();
      return;
    }
    String type = ctx.request().getHeader("Content-Type");
    String[] parts = type == null ? new String[] {""} : type.split(";", 2);
    String mime = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
      ctx.fail(ApiException.unsupportedMediaType("Content-Type must be application/json"));
    } else if (ctx.body().length() > 0 && !StrictJson.wellFormed(ctx.body().buffer())) {
      ctx.fail(ValidationErrors.malformedBody());
    } else {
      // media types are case-insensitive and +json types are JSON; the OpenAPI validator only knows the contract's
      // exact "application/json", so it is given that (parameters such as charset kept)
      ctx.request().headers().set("Content-Type", parts.length > 1 ? "application/json;" + parts[1]
        : "application/json");
      ctx.next();
    }
  }

  void authenticate(RoutingContext ctx) {
    Matcher m = WORKSPACE_PATH.matcher(ctx.normalizedPath());
    if (!m.matches() || isPublicWebhook(ctx)) {
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

  /**
   * Both checks read the path the router matches on (dot segments removed, "//" collapsed, unreserved escapes
   * decoded) and decode the slug as the router decodes path parameters; the raw path would let
   * {@code /workspaces/a/../b/…} authorise for a and be served for b.
   */
  /**
   * Whether the request carried a body. The body buffer alone does not tell: BodyHandler consumes multipart forms
   * into form attributes and leaves the buffer empty, which would let them through to a misleading 400.
   */
  private static boolean hasBody(RoutingContext ctx) {
    if (ctx.body() != null && ctx.body().length() > 0) {
      return true;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length == null) {
      return ctx.request().getHeader("Transfer-Encoding") != null;
    }
    try {
      return Long.parseLong(length.trim()) > 0;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static boolean isPublicWebhook(RoutingContext ctx) {
    Matcher m = WORKSPACE_PATH.matcher(ctx.normalizedPath());
    return m.matches() && m.group(2) != null
      && (m.group(2).equals("/http-triggers") || m.group(2).startsWith("/http-triggers/"));
  }
}
