package io.orchestrator.api.openapi;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Answers requests the HTTP decoder could not read (they never reach the router) in the API's error shape, where
 * Vert.x's default handler ({@code HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER}) sends an empty body; set
 * with {@code HttpServer.invalidRequestHandler}: a request line over the limit → 414, headers over it → 431, any
 * other malformed request → 400. The connection is closed afterwards, as the default does (what follows on it
 * cannot be trusted to start at a request boundary), but only {@link #CLOSE_DELAY_MS} later: the client may still
 * be sending the rest of its oversized request, and closing a socket with unread bytes resets it, so the client
 * would see a reset instead of this answer. Meanwhile the decoder reads and drops whatever arrives.
 */
public final class InvalidRequests {

  static final long CLOSE_DELAY_MS = 1_000;

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
    Vertx vertx = Vertx.currentContext().owner();
    request.response().setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(body.toBuffer())
      .onComplete(done -> vertx.setTimer(CLOSE_DELAY_MS, id -> request.connection().close()));
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }
}
