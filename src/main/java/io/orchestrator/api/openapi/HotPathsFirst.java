package io.orchestrator.api.openapi;

import io.vertx.openapi.contract.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The contract's paths in the order the router tries them, the busiest first. vertx-web matches a request against
 * each route's regular expression in turn, so a trigger whose route came 20th paid 20 matches (6.6 % of the
 * service's CPU in an end-to-end profile, docs/performance.md §14). A path is moved forward only when no other path
 * could match the same request (same number of segments, and at every position equal literals or a template on
 * either side): which route answers a request never depends on this order.
 */
final class HotPathsFirst {

  /** Trigger, event ingestion, worker-task reports and run reads: what high-throughput callers send. */
  static final List<String> HOT = List.of(
    "/orchestration/api/v1/workspaces/{workspaceSlug}/orchestrations/{orchestrationId}/trigger",
    "/orchestration/api/v1/workspaces/{workspaceSlug}/events",
    "/orchestration/api/v1/workspaces/{workspaceSlug}/worker-tasks/poll",
    "/orchestration/api/v1/workspaces/{workspaceSlug}/worker-tasks/{taskId}/complete",
    "/orchestration/api/v1/workspaces/{workspaceSlug}/orchestrations/{orchestrationId}/runs/{runId}");

  private HotPathsFirst() {
  }

  /**
   * {@code paths} with those of {@link #HOT} that overlap no other path first, in HOT's order, the others after
   * them in their order.
   */
  static List<Path> order(List<Path> paths) {
    List<Path> ordered = new ArrayList<>(paths);
    ordered.sort(Comparator.comparingInt(path -> rank(path, paths)));
    return ordered;
  }

  private static int rank(Path path, List<Path> all) {
    int hot = HOT.indexOf(path.getName());
    if (hot < 0 || all.stream().anyMatch(other -> other != path && overlap(path.getName(), other.getName()))) {
      return HOT.size();
    }
    return hot;
  }

  /** Whether some request path could match both templates. */
  static boolean overlap(String a, String b) {
    String[] as = a.split("/");
    String[] bs = b.split("/");
    if (as.length != bs.length) {
      return false;
    }
    for (int i = 0; i < as.length; i++) {
      if (!as[i].equals(bs[i]) && !template(as[i]) && !template(bs[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean template(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }
}
