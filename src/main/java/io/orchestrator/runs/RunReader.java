package io.orchestrator.runs;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Page;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads runs from both homes: Redis holds every run inside its retention window, PostgreSQL the ones evicted
 * after it. The two sets are disjoint but for the few ms between a run's eviction mark and the drop of its Redis
 * copy (a page then shows it once; {@code meta.total} counts it twice), and run ids sort by creation time, so a
 * page of "newest first" is the merge of the newest {@code offset + pageSize} ids of each; only the page's runs are
 * then read from Redis.
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

  /**
   * @param orchestrationId null for the workspace's runs of one correlation id
   */
  Future<Page<Run>> list(String workspace, String orchestrationId, RunFilter filter, int page, int pageSize) {
    int offset = (page - 1) * pageSize;
    Future<RunIdPage> direct = live.listIds(workspace, orchestrationId, filter, offset, pageSize);
    Future<Long> oldTotal = history.countEvicted(workspace, orchestrationId, filter);
    return Future.all(direct, oldTotal).compose(v -> oldTotal.result() == 0
      // nothing evicted: the page is Redis's page, at any depth
      ? live.getMany(direct.result().ids()).map(runs -> new Page<>(runs, direct.result().total(), page, pageSize))
      : merged(workspace, orchestrationId, filter, page, pageSize, oldTotal.result()));
  }

  /** Both homes hold runs: the newest offset + pageSize of each, merged by id, then the page's runs read. */
  private Future<Page<Run>> merged(String workspace, String orchestrationId, RunFilter filter, int page,
                                   int pageSize, long oldTotal) {
    int window = (page - 1) * pageSize + pageSize;
    Future<RunIdPage> recent = live.listIds(workspace, orchestrationId, filter, 0, window);
    Future<List<Run>> old = history.evicted(workspace, orchestrationId, filter, window);
    return Future.all(recent, old).compose(v -> {
      // merge by id (ids sort by creation time), then read only the page's runs from Redis (a run in both homes
      // for a moment is read from Redis)
      Map<String, Run> evicted = new HashMap<>();
      old.result().forEach(run -> evicted.put(run.id(), run));
      Set<String> recentIds = new HashSet<>(recent.result().ids());
      Set<String> ids = new HashSet<>(recentIds);
      ids.addAll(evicted.keySet());
      List<String> newestFirst = ids.stream().sorted(Comparator.reverseOrder()).toList();
      int from = Math.min(newestFirst.size(), (page - 1) * pageSize);
      List<String> pageIds = newestFirst.subList(from, Math.min(newestFirst.size(), from + pageSize));
      List<String> liveIds = pageIds.stream().filter(recentIds::contains).toList();
      return live.getMany(liveIds).map(liveRuns -> {
        Map<String, Run> byId = new HashMap<>(evicted);
        liveRuns.forEach(run -> byId.put(run.id(), run));
        List<Run> runs = pageIds.stream().map(byId::get).filter(Objects::nonNull).toList();
        return new Page<>(runs, recent.result().total() + oldTotal, page, pageSize);
      });
    });
  }
}
