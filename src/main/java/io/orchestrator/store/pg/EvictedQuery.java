package io.orchestrator.store.pg;

import io.orchestrator.runs.RunFilter;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The WHERE clause and parameters selecting a workspace's (or one orchestration's) evicted runs by a filter. */
final class EvictedQuery {

  private final List<String> conditions = new ArrayList<>();
  private final Tuple params = Tuple.tuple();

  /** @param orchestrationId null for the whole workspace */
  EvictedQuery(String workspace, String orchestrationId, RunFilter filter) {
    add("workspace = ", workspace);
    if (orchestrationId != null) {
      add("orchestration_id = ", orchestrationId);
    }
    if (filter.status() != null) {
      add("status = ", filter.status().wire());
    }
    if (filter.correlationId() != null) {
      add("correlation_id = ", filter.correlationId());
    }
    if (filter.startedAfter() != null) {
      add("started_at >= ", PgTime.toPg(filter.startedAfter()));
    }
    if (filter.startedBefore() != null) {
      add("started_at < ", PgTime.toPg(filter.startedBefore()));
    }
    conditions.add("evicted");
  }

  private void add(String condition, Object value) {
    params.addValue(value);
    conditions.add(condition + "$" + params.size());
  }

  /** Adds {@code limit} as the last parameter. @return the LIMIT clause that uses it */
  String limit(int limit) {
    params.addInteger(limit);
    return " LIMIT $" + params.size();
  }

  String where() {
    return " WHERE " + String.join(" AND ", conditions);
  }

  Tuple params() {
    return params;
  }
}
