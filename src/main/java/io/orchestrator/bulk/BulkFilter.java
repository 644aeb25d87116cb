package io.orchestrator.bulk;

import io.orchestrator.common.Timestamps;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Which runs of one orchestration a bulk operation covers (DESIGN.md §9): the fields combine with AND, null (or an
 * empty {@code runIds}) meaning "any"; {@link BulkRequest#parse} makes sure at least one field limits the runs.
 *
 * @param startedAfter  inclusive, whole milliseconds
 * @param startedBefore exclusive, whole milliseconds
 * @param runIds        at most {@link #MAX_RUN_IDS} distinct ids; empty when the filter names none
 */
public record BulkFilter(RunStatus status, Instant startedAfter, Instant startedBefore, String correlationId,
                         List<String> runIds) {

  public static final int MAX_RUN_IDS = 1_000;

  public BulkFilter {
    runIds = runIds == null ? List.of() : List.copyOf(runIds);
  }

  /**
   * The runs the operation matches when it is created at {@code createdAt}: the filter's fields, started before the
   * request (runs that start later are never matched).
   */
  public RunFilter snapshot(Instant createdAt) {
    Instant before = startedBefore == null || createdAt.isBefore(startedBefore) ? createdAt : startedBefore;
    Instant after = startedAfter != null && startedAfter.isAfter(before) ? before : startedAfter;
    return new RunFilter(status, after, before, correlationId);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (status != null) {
      json.put("status", status.wire());
    }
    if (startedAfter != null) {
      json.put("startedAfter", Timestamps.format(startedAfter));
    }
    if (startedBefore != null) {
      json.put("startedBefore", Timestamps.format(startedBefore));
    }
    if (correlationId != null) {
      json.put("correlationId", correlationId);
    }
    if (!runIds.isEmpty()) {
      json.put("runIds", new JsonArray(List.copyOf(runIds)));
    }
    return json;
  }

  /** Reads what {@link #toJson} wrote (stored filters are valid). */
  public static BulkFilter fromJson(JsonObject json) {
    String status = json.getString("status");
    String after = json.getString("startedAfter");
    String before = json.getString("startedBefore");
    JsonArray ids = json.getJsonArray("runIds", new JsonArray());
    return new BulkFilter(status == null ? null : RunStatus.fromWire(status),
      after == null ? null : Instant.parse(after), before == null ? null : Instant.parse(before),
      json.getString("correlationId"), ids.stream().map(String::valueOf).toList());
  }
}
