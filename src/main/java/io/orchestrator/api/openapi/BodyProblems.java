package io.orchestrator.api.openapi;

import io.orchestrator.common.FieldError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** A service's own findings on a request body the contract's schema already rejected ({@link CompleteBodyErrors}). */
@FunctionalInterface
public interface BodyProblems {

  /** Every problem the service sees in {@code body}; empty when it sees none. */
  Future<List<FieldError>> of(RoutingContext ctx, JsonObject body);
}
