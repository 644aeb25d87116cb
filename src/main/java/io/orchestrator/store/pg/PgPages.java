package io.orchestrator.store.pg;

import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One page of a workspace's live rows with the exact total: the page and the count run side by side. */
final class PgPages {

  private PgPages() {
  }

  /**
   * @param columns     the SELECT list
   * @param fromLive    {@code FROM … WHERE workspace = $1 …}: the rows to page through
   * @param sortColumns API sort field → column; ties are broken by id in the same direction
   */
  static <T> Future<Page<T>> page(Pool pool, String columns, String fromLive, Map<String, String> sortColumns,
                                  String workspace, PageRequest request, Function<Row, T> mapper) {
    String order = request.ascending() ? " ASC" : " DESC";
    Future<List<T>> items = pool.preparedQuery("SELECT " + columns + fromLive + "ORDER BY "
        + sortColumns.get(request.sort()) + order + ", id" + order + " LIMIT $2 OFFSET $3")
      .execute(Tuple.of(workspace, request.pageSize(), request.offset()))
      .map(rows -> {
        List<T> list = new ArrayList<>();
        rows.forEach(row -> list.add(mapper.apply(row)));
        return list;
      });
    Future<Long> total = pool.preparedQuery("SELECT count(*)" + fromLive).execute(Tuple.of(workspace))
      .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total)
      .map(v -> new Page<>(items.result(), total.result(), request.page(), request.pageSize()));
  }
}
