package io.orchestrator.common;

import io.vertx.core.Future;
import java.util.List;

/** Turns a validator's findings into a failed future carrying every problem at once. */
public final class Validation {

  private Validation() {
  }

  public static Future<Void> require(List<FieldError> problems, String message) {
    return problems.isEmpty() ? Future.succeededFuture()
      : Future.failedFuture(ApiException.validation(message, problems));
  }
}
