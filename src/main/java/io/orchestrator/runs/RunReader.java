package io.orchestrator.runs;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Page;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads runs from both homes: Redis holds every run inside its retention window, PostgreSQL the ones evicted
 * after it. The two sets are disjoint but for the few ms between a run's eviction mark and the drop of its Redis
 * copy (a page then shows it once; {@code meta.total} counts it twice), and run ids sort by creation time, so a
 * page of "newest first" is the merge of the newest {@code offset + pageSize} ids of each.
 */
final class RunReader {

  private final RunRecords live;
  private final RunHistory history;

  RunReader(RunRecords live, RunHistory history) {
    this.live = live;
    this.history = history;
  }

  Future<Run> get(String workspace, String orchestrationId, String runId) {
    return live.get(workspace, orchestrationId, runId)
      .compose(found -> found.isPresent() ? Future.succeededFuture(found)
        : history.find(workspace, orchestrationId, runId))
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("Run not found"))));
  }

  /** @param orchestrationId null for the workspace's runs of one correlation id */
  Future<Page<Run>> list(String workspace, String orchestrationId, RunFilter filter, int page, int pageSize) {
    int window = (page - 1) * pageSize + pageSize;
    Future<RunIdPage> recent = live.listIds(workspace, orchestrationId, filter, 0, window);
    Future<List<Run>> old = history.evicted(workspace, orchestrationId, filter, window);
    Future<Long> oldTotal = history.countEvicted(workspace, orchestrationId, filter);
    return Future.all(recent, old, oldTotal).compose(v -> {
      List<String> recentIds = recent.result().ids();
      return live.getMany(recentIds).map(recentRuns -> {
        List<Run> merged = new ArrayList<>(recentRuns);
        old.result().stream().filter(r -> !recentIds.contains(r.id())).forEach(merged::add);
        merged.sort(Comparator.comparing(Run::id).reversed());
        int from = Math.min(merged.size(), (page - 1) * pageSize);
        int to = Math.min(merged.size(), from + pageSize);
        return new Page<>(merged.subList(from, to), recent.result().total() + oldTotal.result(), page, pageSize);
      });
    });
  }
}
