package io.orchestrator.store.pg;

import io.orchestrator.common.ApiException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;

/** Translates PostgreSQL failures the client caused into API errors; anything else passes through unchanged. */
final class PgErrors {

  private static final String UNIQUE_VIOLATION = "23505";

  private PgErrors() {
  }

  /** A unique violation on {@code constraint} becomes a conflict with {@code message}. */
  static <T> Future<T> uniqueAsConflict(Throwable failure, String constraint, String message) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
      && constraint.equals(pg.getConstraint())) {
      return Future.failedFuture(ApiException.conflict(message));
    }
    return Future.failedFuture(failure);
  }
}
