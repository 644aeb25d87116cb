package io.orchestrator.api;

import io.orchestrator.api.openapi.HttpTriggerRoute;
import io.orchestrator.common.ApiException;
import io.orchestrator.triggers.http.HttpTriggerService;
import io.orchestrator.triggers.http.InboundWebhook;
import io.orchestrator.triggers.http.TriggerRateLimiter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;

/**
 * The public http-trigger endpoint {@code POST …/workspaces/{ws}/http-triggers{path}} (no JWT, any content type),
 * served for trigger paths of any depth by the route {@link HttpTriggerRoute} adds beside the contract's.
 */
final class HttpTriggerHandlers {

  private final HttpTriggerService service;

  HttpTriggerHandlers(HttpTriggerService service) {
    this.service = service;
  }

  void receiveHttpTrigger(RoutingContext ctx) {
    Matcher m = HttpTriggerRoute.PATH.matcher(ctx.normalizedPath());
    if (!m.matches()) {
      ctx.fail(ApiException.notFound("No active http-trigger at this path"));
      return;
    }
    service.receive(webhook(ctx, m.group(1), m.group(2)))
      .onSuccess(accepted -> {
        if (accepted.duplicate()) {
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        Responses.json(ctx, accepted.duplicate() ? 200 : 202, new JsonObject().put("runId", accepted.runId()));
      })
      .onFailure(err -> fail(ctx, err));
  }

  private static InboundWebhook webhook(RoutingContext ctx, String workspace, String rawPath) {
    // trigger paths never end with '/', so a trailing one (common when a URL is pasted) is dropped
    String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1)
      : rawPath;
    Buffer body = ctx.body().buffer();
    return new InboundWebhook(RequestIds.of(ctx), workspace, path, ctx.request().method().name(), ctx.queryParams(),
      ctx.request().headers(), ctx.request().getHeader("Content-Type"), body == null ? null : body.getBytes());
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof ApiException api && api.status() == 429) {
      ctx.response().putHeader("Retry-After", Long.toString(TriggerRateLimiter.WINDOW.toSeconds()));
    }
    ctx.fail(err);
  }
}
