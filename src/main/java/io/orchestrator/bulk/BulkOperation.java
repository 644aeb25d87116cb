package io.orchestrator.bulk;

import io.orchestrator.common.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A bulk operation as the API shows it.
 *
 * @param matched     the runs the filter covered when the operation was created (frozen then)
 * @param completedAt null while {@code running}
 */
public record BulkOperation(String id, String workspace, String orchestrationId, BulkAction action, BulkFilter filter,
                            boolean completed, int matched, int succeeded, int skipped, int failed, Instant createdAt,
                            String createdBy, Instant completedAt) {

  public static final String ID_PREFIX = "bulk_";

  public String status() {
    return completed ? "completed" : "running";
  }

  /** The whole body of Get Bulk Operation. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("orchestrationId", orchestrationId).put("action", action.wire())
      .put("filter", filter.toJson()).put("status", status()).put("matched", matched).put("succeeded", succeeded)
      .put("skipped", skipped).put("failed", failed).put("createdAt", Timestamps.format(createdAt))
      .put("createdBy", createdBy).put("completedAt", Timestamps.format(completedAt));
  }

  /** The 202 answer of a bulk request. */
  public JsonObject accepted() {
    return new JsonObject().put("id", id).put("action", action.wire()).put("status", status())
      .put("matched", matched);
  }
}
