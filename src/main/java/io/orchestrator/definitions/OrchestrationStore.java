package io.orchestrator.definitions;

import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where definitions live. Every method is scoped by workspace; {@code ref} is an orchestration id or its slug.
 * Deleted orchestrations are invisible to every method except {@link #findVersion} and {@link #listVersions}, which
 * serve runs that started before the deletion and the history of an orchestration by its id.
 */
public interface OrchestrationStore {

  /** Fails with {@code ApiException} conflict when the slug or http-trigger path is taken in the workspace. */
  Future<Orchestration> insert(String workspace, String id, String slug, OrchestrationDraft draft, String actor,
                               Instant now);

  Future<Optional<Orchestration>> find(String workspace, String ref);

  Future<Page<Orchestration>> list(String workspace, PageRequest request);

  /**
   * Replaces the definition and increments the version, keeping the old one. {@code acceptedVersions} null skips
   * the check; a current version not among them fails with precondition_failed. Missing → not_found.
   */
  Future<Orchestration> update(String workspace, String ref, Set<Integer> acceptedVersions, OrchestrationDraft draft,
                               String actor, Instant now);

  /** Soft delete; false when nothing live matched. */
  Future<Boolean> delete(String workspace, String ref, Instant now);

  /** A specific version, deleted or not: runs finish on the version they started with. */
  Future<Optional<Orchestration>> findVersion(String workspace, String id, int version);

  /**
   * One page of the orchestration's versions, newest first, each as {@link #findVersion} returns it, with the exact
   * number of versions as the total. By id only, deleted or not. Empty when the workspace has no orchestration with
   * this id; a page past the last version is an empty page with the total.
   */
  Future<Optional<Page<Orchestration>>> listVersions(String workspace, String id, int page, int pageSize);

  /** Live, active orchestrations of the workspace whose trigger has type {@code triggerType}. */
  Future<List<Orchestration>> activeByTriggerType(String workspace, String triggerType);

  /** The live orchestration of the workspace whose http-trigger has this path (active or not). */
  Future<Optional<Orchestration>> findByHttpPath(String workspace, String path);

  /** Every live, active scheduled orchestration of every workspace (to rebuild schedules). */
  Future<List<Orchestration>> allActiveScheduled();

  /**
   * The live orchestrations among {@code ids}, of any workspace, in no particular order; missing or deleted ids are
   * left out. One round trip for a batch: the scheduler reads the definitions of the fires it claimed at once.
   */
  Future<List<Orchestration>> findLiveByIds(Set<String> ids);

}
