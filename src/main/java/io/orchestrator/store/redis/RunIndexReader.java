package io.orchestrator.store.redis;

import io.orchestrator.runs.Correlation;
import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunIdPage;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.Optional;

/**
 * The run store's reads: plain commands, pipelined where one answer needs several (one pipeline per partition: a
 * cluster serves each partition's slot on its own shard). Nothing here changes state, so no script is needed; values
 * read at once may be a few microseconds apart, which no caller depends on. Reads over every partition (lists,
 * totals, queue depths) fan out and merge ({@link Fanout}).
 */
final class RunIndexReader {

  /** Newest first, as one index answers: by score, then by id, both descending. */
  private static final Comparator<Map.Entry<String, Long>> NEWEST_FIRST =
    Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()).reversed();

  /**
   * Past this many entries from the top (offset + count), a page spanning partitions is found by score search
   * ({@link DeepIndexPage}): it reads about count entries where the heads would read count x partitions.
   */
  static final int DEEP_OFFSET = 1_000;

  private final Redis redis;
  private final Keyspace keyspace;
  private final int deepOffset;

  RunIndexReader(Redis redis, Keyspace keyspace) {
    this(redis, keyspace, DEEP_OFFSET);
  }

  RunIndexReader(Redis redis, Keyspace keyspace, int deepOffset) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.deepOffset = deepOffset;
  }

  Future<Optional<Run>> get(String runId) {
    return redis.send(Request.cmd(Command.HGETALL).arg(keyspace.ofId(runId).run(runId)))
      .map(RunHashCodec::decodeReply);
  }

  /** The runs of those ids that exist, in the ids' order. */
  Future<List<Run>> getMany(List<String> runIds) {
    return readMany(runIds, RunHashCodec::decode, Run::id);
  }

  /** The hashes of those ids that exist, each read as {@code read} says, in the ids' order. */
  private <T> Future<List<T>> readMany(List<String> runIds, Function<Map<String, String>, T> read,
                                       Function<T, String> idOf) {
    if (runIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Fanout.byPartition(keyspace, runIds, (keys, ids) -> redis.batch(ids.stream()
        .map(id -> Request.cmd(Command.HGETALL).arg(keys.run(id))).toList())
        .map(replies -> replies.stream().map(RunHashCodec::fields).filter(fields -> !fields.isEmpty()).map(read)
          .toList()))
      .map(parts -> {
        Map<String, T> byId = new HashMap<>();
        parts.forEach(found -> found.forEach(item -> byId.put(idOf.apply(item), item)));
        return runIds.stream().map(byId::get).filter(Objects::nonNull).toList();
      });
  }

  /**
   * Without a correlation id, one score range of the orchestration's index (by status when the filter names one) in
   * every partition: each answers its first offset + count entries and its count, merged newest first (equal times
   * by id, descending, as one index would answer); the total is the sum of the counts. Pages ending past
   * {@link #DEEP_OFFSET} are found by score search instead ({@link DeepIndexPage}), so their cost does not grow with
   * the offset times the partitions.
   * With one, the workspace's index of that correlation id in the time range, narrowed to the orchestration and
   * status by reading those two fields of each run (a correlation id covers few runs).
   */
  Future<RunIdPage> listIds(String workspace, String orchestrationId, RunFilter filter, int offset, int count) {
    if (offset < 0 || count < 1) {
      return Future.failedFuture(new IllegalArgumentException("offset must be >= 0 and count >= 1"));
    }
    if (filter.correlationId() != null) {
      return byCorrelation(workspace, orchestrationId, filter, offset, count);
    }
    if (orchestrationId == null) {
      return Future.failedFuture(new IllegalArgumentException("a workspace-wide list needs a correlation id"));
    }
    long base = 0;
    long top = Long.MAX_VALUE;
    if (filter.status() != null) {
      base = StatusBands.base(filter.status());
      top = StatusBands.top(filter.status());
    }
    String min = filter.startedAfter() == null ? bound(base) : bound(base + inBand(filter.fromMillis()));
    String max = filter.startedBefore() == null ? bound(top) : "(" + (base + inBand(filter.untilMillis()));
    if ((long) offset + count > deepOffset && keyspace.partitions().count() > 1) {
      List<String> indexes = keyspace.all().stream().map(keys -> filter.status() == null
        ? keys.index(workspace, orchestrationId) : keys.statusIndex(workspace, orchestrationId)).toList();
      return new DeepIndexPage(redis, indexes, min, max, NEWEST_FIRST).find(offset, count);
    }
    int head = offset + count;
    return Fanout.each(keyspace, keys -> {
      String index = filter.status() == null ? keys.index(workspace, orchestrationId)
        : keys.statusIndex(workspace, orchestrationId);
      return redis.batch(List.of(
        Request.cmd(Command.ZREVRANGEBYSCORE).arg(index).arg(max).arg(min).arg("WITHSCORES")
          .arg("LIMIT").arg(0).arg(head),
        Request.cmd(Command.ZCOUNT).arg(index).arg(min).arg(max)));
    }).map(parts -> {
      List<Map.Entry<String, Long>> merged = new ArrayList<>();
      long total = 0;
      for (List<Response> part : parts) {
        merged.addAll(Fanout.scored(part.get(0)));
        total += part.get(1).toLong();
      }
      merged.sort(NEWEST_FIRST);
      List<String> ids = merged.stream().map(Map.Entry::getKey).toList();
      int from = Math.min(ids.size(), offset);
      return new RunIdPage(ids.subList(from, Math.min(ids.size(), head)), total);
    });
  }

  private Future<RunIdPage> byCorrelation(String workspace, String orchestrationId, RunFilter filter, int offset,
                                          int count) {
    String min = filter.startedAfter() == null ? "-inf" : bound(filter.fromMillis());
    String max = filter.startedBefore() == null ? "+inf" : "(" + filter.untilMillis();
    // a correlation id callers gave has an index; a run's default one names its run (Correlation)
    Optional<String> ownRun = Correlation.runOf(filter.correlationId());
    Future<List<String>> indexed = Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.ZREVRANGEBYSCORE)
        .arg(keys.correlation(workspace, filter.correlationId())).arg(max).arg(min)).map(RunIndexReader::strings))
      .map(parts -> parts.stream().flatMap(List::stream).toList());
    Future<List<String>> candidates = ownRun.isEmpty() ? indexed : indexed.map(ids -> {
      List<String> all = new ArrayList<>(ids);
      if (!all.contains(ownRun.get())) {
        all.add(ownRun.get());
      }
      return all;
    });
    return candidates.compose(ids -> ids.isEmpty() ? Future.succeededFuture(List.<String>of())
        : Fanout.byPartition(keyspace, ids, (keys, partIds) -> redis.batch(partIds.stream()
          .map(id -> Request.cmd(Command.HMGET).arg(keys.run(id)).arg("workspace").arg("orchestrationId")
            .arg("status").arg("startedAt").arg("correlationId")).toList())
          .map(replies -> {
            Map<String, Response> byId = new HashMap<>();
            for (int i = 0; i < partIds.size(); i++) {
              byId.put(partIds.get(i), replies.get(i));
            }
            return byId;
          }))
      .map(parts -> {
        Map<String, Response> fieldsById = new HashMap<>();
        parts.forEach(fieldsById::putAll);
        List<Response> fields = ids.stream().map(fieldsById::get).toList();
        List<Map.Entry<String, Long>> matching = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          Response f = fields.get(i);
          if (f.get(0) != null && workspace.equals(f.get(0).toString())
            && (orchestrationId == null || orchestrationId.equals(String.valueOf(f.get(1))))
            && (filter.status() == null || filter.status().wire().equals(String.valueOf(f.get(2))))
            && filter.correlationId().equals(String.valueOf(f.get(4)))) {
            long startedAt = Long.parseLong(f.get(3).toString());
            if (startedAt >= filter.fromMillis() && startedAt < filter.untilMillis()) {
              matching.add(Map.entry(ids.get(i), startedAt));
            }
          }
        }
        matching.sort(NEWEST_FIRST);
        return matching.stream().map(Map.Entry::getKey).toList();
      }))
      .map(ids -> page(ids, offset, count));
  }

  private static RunIdPage page(List<String> ids, int offset, int count) {
    int from = Math.min(ids.size(), offset);
    return new RunIdPage(ids.subList(from, Math.min(ids.size(), from + count)), ids.size());
  }

  /** A time as an offset inside a status band: times before 1970 or after 2286 go to the band's edge. */
  private static long inBand(long epochMillis) {
    return Math.max(0, Math.min(epochMillis, StatusBands.WIDTH));
  }

  private static String bound(long score) {
    return score == Long.MAX_VALUE ? "+inf" : Long.toString(score);
  }

  /**
   * Up to {@code max} runs from the heads of the partitions' unarchived queues, oldest first within each partition;
   * the partition read first turns with every call ({@code first}), so none waits behind the others.
   */
  Future<List<HistoryRecord>> finishedBatch(int max, int first) {
    if (max < 1) {
      return Future.succeededFuture(List.of());
    }
    return Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.LRANGE).arg(keys.unarchived()).arg(0)
        .arg(max - 1)).map(RunIndexReader::strings))
      .compose(heads -> historyRecords(rotated(heads, first, max)));
  }

  /** The history records of the runs of those ids that exist, in the ids' order ({@link RunHistoryText}). */
  private Future<List<HistoryRecord>> historyRecords(List<String> runIds) {
    return readMany(runIds, RunHistoryText::record, HistoryRecord::id);
  }

  Future<QueueDepths> queueDepths() {
    return Fanout.each(keyspace, keys -> redis.batch(List.of(
        Request.cmd(Command.ZCARD).arg(keys.ready()),
        Request.cmd(Command.ZCARD).arg(keys.timers()),
        Request.cmd(Command.ZCARD).arg(keys.leases()),
        Request.cmd(Command.LLEN).arg(keys.unarchived())))
      .map(r -> new QueueDepths(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong())))
      .map(parts -> parts.stream().reduce(new QueueDepths(0, 0, 0, 0), (a, b) -> new QueueDepths(
        a.ready() + b.ready(), a.timers() + b.timers(), a.leases() + b.leases(), a.unpersisted() + b.unpersisted())));
  }

  Future<Long> timersDueBy(long epochMillis) {
    return Fanout.sumLongs(Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.ZCOUNT).arg(keys.timers())
      .arg("-inf").arg(epochMillis)).map(Response::toLong)));
  }

  /** Up to {@code max} ids of runs whose Redis retention ended by {@code epochMillis}, earliest first per partition. */
  Future<List<String>> expiredBy(long epochMillis, int max, int first) {
    return Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.expiry()).arg("-inf")
        .arg(epochMillis).arg("LIMIT").arg(0).arg(max)).map(RunIndexReader::strings))
      .map(heads -> rotated(heads, first, max));
  }

  /** The run id held under an idempotency key, while the key lives. */
  Future<Optional<String>> idempotentRunId(String idempotencyKey) {
    return redis.send(Request.cmd(Command.GET).arg(idempotencyKey))
      .map(reply -> Optional.ofNullable(reply).map(Response::toString));
  }

  /** The partitions' lists joined from partition {@code first} on (wrapping around), cut at {@code max} ids. */
  private static List<String> rotated(List<List<String>> byPartition, int first, int max) {
    List<String> joined = new ArrayList<>();
    int n = byPartition.size();
    for (int i = 0; i < n && joined.size() < max; i++) {
      List<String> part = byPartition.get(Math.floorMod(first + i, n));
      joined.addAll(part.subList(0, Math.min(part.size(), max - joined.size())));
    }
    return joined;
  }

  static List<String> strings(Response reply) {
    return reply == null ? List.of() : reply.stream().map(Response::toString).toList();
  }
}
