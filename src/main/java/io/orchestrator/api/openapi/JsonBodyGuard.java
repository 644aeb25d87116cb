package io.orchestrator.api.openapi;

import io.orchestrator.common.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * JSON-only request bodies, checked before validation (root handler, after {@link AuthenticationFirst}): a body
 * that is not JSON answers 415, one that is not strict JSON 400 ({@link StrictJson}), and the Content-Type the
 * router's validator sees is rewritten to the contract's exact {@code application/json}. vertx-openapi picks the
 * contract's media type by a case-sensitive prefix match of the raw header ({@code RequestBodyImpl
 * .determineContentType}), so {@code Application/JSON} or {@code application/vnd.api+json}, JSON by RFC 6838 and
 * RFC 6839, would fail validation; parameters such as {@code charset} are kept, since the prefix match accepts them.
 * The public http-trigger endpoint takes any content type and is left alone ({@link HttpTriggerRoute}).
 */
final class JsonBodyGuard {

  private JsonBodyGuard() {
  }

  static void requireJson(RoutingContext ctx) {
    if (HttpTriggerRoute.isPublic(ctx) || !hasBody(ctx)) {
      ctx.next();
      return;
    }
    String type = ctx.request().getHeader("Content-Type");
    String[] parts = type == null ? new String[] {""} : type.split(";", 2);
    String mime = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
      ctx.fail(ApiException.unsupportedMediaType("Content-Type must be application/json"));
    } else if (ctx.body().length() > 0 && !StrictJson.wellFormed(ctx.body().buffer())) {
      ctx.fail(ValidationErrors.malformedBody());
    } else {
      ctx.request().headers().set("Content-Type", parts.length > 1 ? "application/json;" + parts[1]
        : "application/json");
      ctx.next();
    }
  }

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
}
