package io.orchestrator.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Answers requests the HTTP decoder could not read (they never reach the router) in the API's error shape, where
 * Vert.x's default handler sends an empty body: a request line over the limit → 414, headers over it → 431, any
 * other malformed request → 400. The connection is closed afterwards, as the default does: what follows on it
 * cannot be trusted to start at a request boundary.
 */
public final class InvalidRequests {

  private InvalidRequests() {
  }

  public static void respond(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    JsonObject body;
    int status;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      body = error("uri_too_long", "The request line (method, path and query) is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      body = error("headers_too_large", "The request headers are too large");
    } else {
      status = 400;
      body = error("bad_request", "The request is not valid HTTP");
    }
    request.response().setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(body.toBuffer())
      .onComplete(done -> request.connection().close());
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }
}
