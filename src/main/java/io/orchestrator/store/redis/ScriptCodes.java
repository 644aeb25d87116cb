package io.orchestrator.store.redis;

import io.orchestrator.runs.TransitionResult;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

/** The one table from the scripts' integer return codes to {@link TransitionResult}. */
final class ScriptCodes {

  private ScriptCodes() {
  }

  static Future<TransitionResult> toResult(Response response) {
    long code = response.toLong();
    if (code == 1) {
      return Future.succeededFuture(TransitionResult.OK);
    } else if (code == -1) {
      return Future.succeededFuture(TransitionResult.NOT_FOUND);
    } else if (code == -2) {
      return Future.succeededFuture(TransitionResult.STALE);
    } else if (code == -3) {
      return Future.succeededFuture(TransitionResult.NOT_RUNNING);
    } else if (code == -4) {
      return Future.succeededFuture(TransitionResult.FINISHED);
    }
    return Future.failedFuture(new IllegalStateException("unknown script return code " + code));
  }
}
