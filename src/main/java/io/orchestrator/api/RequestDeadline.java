package io.orchestrator.api;

import io.orchestrator.common.StoreUnavailableException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;

/**
 * Answers 503 for a request still unanswered at its deadline (twice the store timeout; a worker-task long poll
 * gets its longest wait on top). Redis commands are bounded on their own, PostgreSQL queries are not: a database
 * that accepts connections but never answers (a hung server, a black-holed network) would otherwise hold the
 * request for as long as TCP keeps the connection, so a request that outlives its deadline is taken to wait on
 * PostgreSQL.
 */
final class RequestDeadline implements PlatformHandler {

  private static final long LONGEST_POLL_WAIT_MS = 30_000;
  private static final String POLL_PATH_SUFFIX = "/worker-tasks/poll";

  private final long deadlineMs;

  RequestDeadline(Duration storeTimeout) {
    this.deadlineMs = 2 * storeTimeout.toMillis();
  }

  @Override
  public void handle(RoutingContext ctx) {
    long ms = deadlineMs + (ctx.request().path().endsWith(POLL_PATH_SUFFIX) ? LONGEST_POLL_WAIT_MS : 0);
    long timer = ctx.vertx().setTimer(ms, id -> {
      if (!ctx.response().headWritten()) {
        ctx.fail(new StoreUnavailableException("PostgreSQL", "no answer within " + ms + " ms"));
      }
    });
    ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }
}
