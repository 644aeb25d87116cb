package io.orchestrator.bulk;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Timestamps;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.validation.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A bulk action as asked for: the action and its filter, read and checked whole (every problem at once). */
public record BulkRequest(BulkAction action, BulkFilter filter) {

  private static final Set<String> FILTER_FIELDS = Set.of("status", "startedAfter", "startedBefore", "correlationId",
    "runIds");
  private static final String TIMESTAMP_HINT =
    "must be an ISO-8601 date-time with an offset or Z, such as 2026-03-01T10:00:00.000Z";

  /**
   * Reads {@code {action, filter: {status?, startedAfter?, startedBefore?, correlationId?, runIds?}}}.
   *
   * @throws ApiException validation_error naming each problem: an unknown action or status, a malformed
   *     timestamp, startedAfter later than startedBefore, more than 1,000 run ids, or a filter without a field that
   *     limits the runs (an empty runIds does not)
   */
  public static BulkRequest parse(JsonObject body) {
    Problems problems = new Problems();
    Object actionValue = body.getValue("action");
    BulkAction action = actionValue instanceof String text ? BulkAction.fromWire(text).orElse(null) : null;
    if (action == null) {
      problems.add("action", "must be one of cancel, redrive, replay");
    }
    Object filterValue = body.getValue("filter");
    BulkFilter filter = null;
    if (filterValue instanceof JsonObject json) {
      filter = filter(json, problems);
    } else {
      problems.add("filter", "is required: an object with at least one of " + String.join(", ", fieldNames()));
    }
    if (!problems.isEmpty()) {
      throw ApiException.validation("Invalid bulk action", problems.toList());
    }
    return new BulkRequest(action, filter);
  }

  private static BulkFilter filter(JsonObject json, Problems problems) {
    for (String field : json.fieldNames()) {
      if (!FILTER_FIELDS.contains(field)) {
        problems.add("filter." + field, "is not a filter field (" + String.join(", ", fieldNames()) + ")");
      }
    }
    RunStatus status = status(json.getValue("status"), problems);
    Instant after = instant(json.getValue("startedAfter"), "filter.startedAfter", problems);
    Instant before = instant(json.getValue("startedBefore"), "filter.startedBefore", problems);
    if (after != null && before != null && after.isAfter(before)) {
      problems.add("filter.startedAfter", "must not be later than startedBefore");
    }
    String correlationId = correlationId(json.getValue("correlationId"), problems);
    List<String> runIds = runIds(json.getValue("runIds"), problems);
    boolean namesRuns = !(json.getValue("runIds") instanceof JsonArray ids) || !ids.isEmpty();
    if (json.getValue("status") == null && json.getValue("startedAfter") == null
      && json.getValue("startedBefore") == null && json.getValue("correlationId") == null
      && (json.getValue("runIds") == null || !namesRuns)) {
      problems.add("filter", "must name at least one of " + String.join(", ", fieldNames())
        + " (an empty runIds does not count): a bulk action never covers every run by default");
    }
    return problems.isEmpty() ? new BulkFilter(status, after, before, correlationId, runIds) : null;
  }

  private static RunStatus status(Object value, Problems problems) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      for (RunStatus status : RunStatus.values()) {
        if (status.wire().equals(text)) {
          return status;
        }
      }
    }
    problems.add("filter.status", "must be one of pending, running, waiting, completed, failed, cancelled");
    return null;
  }

  private static Instant instant(Object value, String field, Problems problems) {
    if (value == null) {
      return null;
    }
    Instant at = value instanceof String text ? Timestamps.parseBound(text).orElse(null) : null;
    if (at == null) {
      problems.add(field, TIMESTAMP_HINT);
    }
    return at;
  }

  private static String correlationId(Object value, Problems problems) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text && !text.isEmpty() && text.length() <= 255) {
      return text;
    }
    problems.add("filter.correlationId", "must be a string of 1 to 255 characters");
    return null;
  }

  private static List<String> runIds(Object value, Problems problems) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      problems.add("filter.runIds", "must be an array of run ids");
      return List.of();
    }
    if (array.size() > BulkFilter.MAX_RUN_IDS) {
      problems.add("filter.runIds", "must hold at most " + BulkFilter.MAX_RUN_IDS + " run ids, got " + array.size());
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof String id && !id.isEmpty() && id.length() <= 64) {
        ids.add(id);
      } else {
        problems.add(Problems.path("filter.runIds", i), "must be a run id (a string of 1 to 64 characters)");
      }
    }
    return new ArrayList<>(ids);
  }

  private static List<String> fieldNames() {
    return List.of("status", "startedAfter", "startedBefore", "correlationId", "runIds");
  }
}
