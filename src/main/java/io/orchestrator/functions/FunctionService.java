package io.orchestrator.functions;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.common.Ids;
import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.orchestrator.common.Validation;
import io.orchestrator.common.crypto.WebhookSecrets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Use cases on functions: validate, then store; a function still called by a live orchestration stays. */
public final class FunctionService {

  private final FunctionStore store;
  private final FunctionValidator validator;
  private final Ids ids;
  private final Clock clock;

  public FunctionService(FunctionStore store, FunctionValidator validator, Ids ids, Clock clock) {
    this.store = store;
    this.validator = validator;
    this.ids = ids;
    this.clock = clock;
  }

  public Future<FunctionDef> create(String workspace, JsonObject body, String actor) {
    return Validation.require(validator.validate(body), "Invalid request body")
      .compose(v -> store.insert(workspace, ids.function(), FunctionDraft.from(body), WebhookSecrets.generate(),
        actor, now()));
  }

  /** Every problem of a create or update body, without storing anything (see OrchestrationService#problems). */
  public List<FieldError> problems(JsonObject body) {
    return validator.validate(body);
  }

  public Future<FunctionDef> get(String workspace, String id) {
    return store.find(workspace, id)
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Function not found"))));
  }

  public Future<Page<FunctionDef>> list(String workspace, PageRequest request) {
    return store.list(workspace, request);
  }

  public Future<FunctionDef> update(String workspace, String id, JsonObject body, String actor) {
    return get(workspace, id)
      .compose(current -> Validation.require(validator.validate(body), "Invalid request body")
        .compose(v -> store.update(workspace, id, FunctionDraft.from(body).keepingMaskedHeaders(current.headers()),
          actor, now())));
  }

  /** Deletes the function; 404 when it is missing, 409 while a live orchestration calls it. */
  public Future<Void> delete(String workspace, String id) {
    return store.delete(workspace, id, now()).compose(deleted -> deleted ? Future.<Void>succeededFuture()
      : Future.failedFuture(ApiException.notFound("Function not found")));
  }


  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }
}
