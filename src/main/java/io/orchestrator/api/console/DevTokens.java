package io.orchestrator.api.console;

import io.orchestrator.auth.TokenMinter;
import io.orchestrator.common.ApiException;
import io.orchestrator.common.Timestamps;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The console's one-click sign-in for the zero-set-up start (embedded PostgreSQL and Redis, the dev HS256 secret):
 * {@code POST /console/dev-token {"workspace": slug}} mints a token for that workspace, as the {@code token} command
 * does, and {@code GET /console/dev-token} answers 204 so the console knows to offer the button. Only mounted in
 * that mode, and only for requests from a loopback address whose {@code Origin}, when sent, is the console's own
 * (another site open in the same browser cannot have one minted). The token goes into the response body only.
 */
public final class DevTokens {

  static final String PATH = "/console/dev-token";
  /** Subject of minted tokens: what runs and definitions record as {@code createdBy}. */
  static final String SUBJECT = "console";
  static final int TTL_SECONDS = 8 * 3600;
  private static final Pattern WORKSPACE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

  private final TokenMinter minter;
  private final Clock clock;

  public DevTokens(TokenMinter minter, Clock clock) {
    this.minter = minter;
    this.clock = clock;
  }

  void available(RoutingContext ctx) {
    if (refused(ctx)) {
      return;
    }
    ctx.response().setStatusCode(204).end();
  }

  void mint(RoutingContext ctx) {
    if (refused(ctx)) {
      return;
    }
    String workspace = workspace(ctx);
    if (workspace == null) {
      ctx.fail(ApiException.validation("workspace",
        "a workspace slug: letters, digits, '-', '_' or '.', at most 64 characters"));
      return;
    }
    Instant expires = clock.instant().plusSeconds(TTL_SECONDS);
    JsonObject body = new JsonObject().put("token", minter.mint(SUBJECT, List.of(workspace), TTL_SECONDS))
      .put("workspace", workspace).put("subject", SUBJECT).put("expiresAt", Timestamps.format(expires));
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
      .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  /** Fails the request (404, as if the path did not exist) unless it comes from this machine and the console. */
  private boolean refused(RoutingContext ctx) {
    if (fromLoopback(ctx.request().remoteAddress()) && sameOrigin(ctx)) {
      return false;
    }
    ctx.fail(ApiException.notFound("No such endpoint"));
    return true;
  }

  static boolean fromLoopback(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    try {
      // an IP literal: no name lookup happens
      return InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return true;
    }
    try {
      URI uri = URI.create(origin);
      String host = ctx.request().getHeader("Host");
      return host != null && host.equalsIgnoreCase(uri.getRawAuthority());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String workspace(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      Object value = body == null ? null : body.getValue("workspace");
      return value instanceof String s && WORKSPACE.matcher(s).matches() ? s : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
