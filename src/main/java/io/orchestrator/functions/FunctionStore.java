package io.orchestrator.functions;

import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/** Where functions live; every method is scoped by workspace and ignores deleted functions. */
public interface FunctionStore {

  Future<FunctionDef> insert(String workspace, String id, FunctionDraft draft, String signingSecret, String actor,
                             Instant now);

  Future<Optional<FunctionDef>> find(String workspace, String id);

  Future<Page<FunctionDef>> list(String workspace, PageRequest request);

  /** Missing → not_found. */
  Future<FunctionDef> update(String workspace, String id, FunctionDraft draft, String actor, Instant now);

  /** Soft delete; false when nothing live matched; conflict while a live orchestration's steps call it. */
  Future<Boolean> delete(String workspace, String id, Instant now);

  /** The subset of {@code ids} that exist in the workspace. */
  Future<Set<String>> existingIds(String workspace, Collection<String> ids);
}
