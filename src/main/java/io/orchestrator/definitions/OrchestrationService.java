package io.orchestrator.definitions;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.common.Ids;
import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.orchestrator.common.Validation;
import io.orchestrator.functions.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Use cases on definitions: validate, then store; every call is scoped by workspace. */
public final class OrchestrationService {

  private static final String INVALID = "Invalid request body";

  private final OrchestrationStore store;
  private final FunctionStore functions;
  private final DefinitionValidator validator;
  private final Ids ids;
  private final Clock clock;
  private final List<DefinitionListener> listeners = new CopyOnWriteArrayList<>();

  public OrchestrationService(OrchestrationStore store, FunctionStore functions, DefinitionValidator validator,
                              Ids ids, Clock clock) {
    this.store = store;
    this.functions = functions;
    this.validator = validator;
    this.ids = ids;
    this.clock = clock;
  }

  public void addListener(DefinitionListener listener) {
    listeners.add(listener);
  }

  public Future<Orchestration> create(String workspace, JsonObject body, String actor) {
    return functions.existingIds(workspace, referencedFunctions(body))
      .compose(known -> Validation.require(validator.validateCreate(body, known), INVALID))
      .compose(v -> store.insert(workspace, ids.orchestration(), body.getString("slug"),
        draft(body, TriggerSecrets.forCreate(body.getJsonObject("trigger")), true), actor, now()))
      .onSuccess(saved -> listeners.forEach(l -> l.saved(saved)));
  }

  /**
   * Every semantic problem of a create ({@code ref} null) or update body, without storing anything: lets the API
   * report them together with what the contract's schema found. An update of a missing orchestration fails 404.
   */
  public Future<List<FieldError>> problems(String workspace, String ref, JsonObject body) {
    Future<Orchestration> current = ref == null ? Future.succeededFuture() : get(workspace, ref);
    return current.compose(found -> functions.existingIds(workspace, referencedFunctions(body))
      .map(known -> found == null ? validator.validateCreate(body, known)
        : validator.validateUpdate(body, found.slug(), found.trigger(), known)));
  }

  public Future<Orchestration> get(String workspace, String ref) {
    return store.find(workspace, ref)
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Orchestration not found"))));
  }

  /**
   * Version {@code version} of the orchestration {@code ref} names (id or slug), or its current version when
   * {@code version} is null. An unknown or deleted orchestration, or another workspace's, fails not_found
   * "Orchestration not found"; a version it never had fails not_found "Version not found".
   */
  public Future<Orchestration> version(String workspace, String ref, Integer version) {
    return get(workspace, ref).compose(current -> version == null || version == current.version()
      ? Future.succeededFuture(current)
      : store.findVersion(workspace, current.id(), version).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Version not found")))));
  }

  /**
   * Every problem of a definition that is not stored (a simulation's), with the paths of a create ({@code steps[0].id}):
   * slug and name optional, functions looked up in the workspace as a create does.
   */
  public Future<List<FieldError>> draftProblems(String workspace, JsonObject definition) {
    return functions.existingIds(workspace, referencedFunctions(definition))
      .map(known -> validator.validateDraft(definition, known));
  }

  public Future<Page<Orchestration>> list(String workspace, PageRequest request) {
    return store.list(workspace, request);
  }

  /** The orchestration's versions, newest first, with the exact total; {@code ref} as in {@link #versionedId}. */
  public Future<Page<Orchestration>> versions(String workspace, String ref, int page, int pageSize) {
    return versionedId(workspace, ref).compose(id -> store.listVersions(workspace, id, page, pageSize))
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Orchestration not found"))));
  }

  /** Version {@code number} (≥ 1) of the orchestration; {@code ref} as in {@link #versionedId}. */
  public Future<Orchestration> version(String workspace, String ref, int number) {
    return versionedId(workspace, ref).compose(id -> store.findVersion(workspace, id, number)
      .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> missingVersion(workspace, id, ref, number))));
  }

  /**
   * Whose versions a path names. An {@code orch_…} id is taken as it is, deleted or not, so a deleted orchestration's
   * versions stay readable by id as its runs are (a run names the version it ran); a slug names only the live
   * orchestration holding it, since a deleted one's slug may be taken again. (Slugs cannot contain "_".)
   */
  private Future<String> versionedId(String workspace, String ref) {
    return ref.startsWith("orch_") ? Future.succeededFuture(ref) : get(workspace, ref).map(Orchestration::id);
  }

  /** A 404 that says which is missing: the orchestration (no first version in this workspace) or this version. */
  private Future<Orchestration> missingVersion(String workspace, String id, String ref, int number) {
    Future<Boolean> known = number == 1 ? Future.succeededFuture(false)
      : store.findVersion(workspace, id, 1).map(first -> first.isPresent());
    return known.compose(exists -> Future.failedFuture(ApiException.notFound(exists
      ? "Orchestration " + ref + " has no version " + number : "Orchestration not found")));
  }

  public Future<Orchestration> update(String workspace, String ref, Set<Integer> acceptedVersions, JsonObject body,
                                      String actor) {
    return get(workspace, ref).compose(current -> functions.existingIds(workspace, referencedFunctions(body))
      .compose(known -> Validation.require(validator.validateUpdate(body, current.slug(), current.trigger(), known),
        INVALID))
      .compose(v -> store.update(workspace, current.id(), acceptedVersions, draft(body,
        TriggerSecrets.forUpdate(body.getJsonObject("trigger"), current.trigger(), now()), current.active()),
        actor, now())))
      .onSuccess(saved -> listeners.forEach(l -> l.saved(saved)));
  }

  public Future<Void> delete(String workspace, String ref) {
    return get(workspace, ref).compose(current -> store.delete(workspace, current.id(), now())
      .compose(deleted -> deleted ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound("Orchestration not found")))
      .onSuccess(v -> listeners.forEach(l -> l.deleted(current))));
  }

  private static OrchestrationDraft draft(JsonObject body, JsonObject trigger, boolean activeByDefault) {
    return new OrchestrationDraft(body.getString("name").trim(), body.getString("description"),
      body.getBoolean("isActive", activeByDefault), trigger, body.getJsonArray("steps"));
  }


  /** Function ids named by compute steps, read defensively: the body is not validated yet. */
  private static Set<String> referencedFunctions(JsonObject body) {
    Set<String> referenced = new LinkedHashSet<>();
    if (body != null && body.getValue("steps") instanceof JsonArray steps) {
      for (Object step : steps) {
        if (step instanceof JsonObject s && s.getValue("functionId") instanceof String id) {
          referenced.add(id);
        }
      }
    }
    return referenced;
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }
}
