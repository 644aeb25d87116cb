package io.orchestrator.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy unarchived list (run ids, oldest first) split into its partitions' lists, each keeping the order. A
 * list cannot be re-written idempotently by pushing, so the legacy head is taken a chunk at a time: its ids are
 * appended to each partition's list unless that list already ends with them (a run interrupted after the push),
 * then the chunk is trimmed off the legacy list.
 */
final class UnarchivedMove {

  private static final int CHUNK = 500;

  private final Redis redis;
  private final Keyspace keyspace;
  private final MigrationSummary summary;
  private final String source;

  UnarchivedMove(Redis redis, Keyspace keyspace, MigrationSummary summary) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.summary = summary;
    this.source = keyspace.legacy().unarchived();
  }

  Future<Void> run() {
    return redis.send(Request.cmd(Command.LRANGE).arg(source).arg(0).arg(CHUNK - 1)).compose(reply -> {
      if (reply == null || reply.size() == 0) {
        return Future.succeededFuture();
      }
      Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
      reply.forEach(id -> byPartition.computeIfAbsent(keyspace.partitions().of(id.toString()), p -> new ArrayList<>())
        .add(id.toString()));
      List<Future<Void>> appends = new ArrayList<>();
      byPartition.forEach((partition, ids) -> appends.add(appendOnce(keyspace.partition(partition).unarchived(), ids)));
      return Future.all(appends)
        .compose(v -> redis.send(Request.cmd(Command.LTRIM).arg(source).arg(reply.size()).arg(-1)))
        .compose(v -> {
          summary.add(MigrationSummary.UNARCHIVED, reply.size());
          return run();
        });
    });
  }

  private Future<Void> appendOnce(String target, List<String> ids) {
    return redis.send(Request.cmd(Command.LRANGE).arg(target).arg(-ids.size()).arg(-1)).compose(tail -> {
      int done = overlap(tail, ids);
      if (done == ids.size()) {
        return Future.succeededFuture();
      }
      Request push = Request.cmd(Command.RPUSH).arg(target);
      ids.subList(done, ids.size()).forEach(push::arg);
      return redis.send(push).mapEmpty();
    });
  }

  /** The length of the longest start of {@code ids} that {@code tail} ends with. */
  static int overlap(Response tail, List<String> ids) {
    List<String> have = new ArrayList<>();
    if (tail != null) {
      tail.forEach(id -> have.add(id.toString()));
    }
    for (int n = Math.min(have.size(), ids.size()); n > 0; n--) {
      if (have.subList(have.size() - n, have.size()).equals(ids.subList(0, n))) {
        return n;
      }
    }
    return 0;
  }
}
