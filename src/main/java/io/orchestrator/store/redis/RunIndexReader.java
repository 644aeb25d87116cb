package io.orchestrator.store.redis;

import io.orchestrator.runs.Correlation;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunIdPage;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run store's reads: plain commands, pipelined where one answer needs several. Nothing here changes state, so
 * no script is needed; values read in one pipeline may be a few microseconds apart, which no caller depends on.
 */
final class RunIndexReader {

  private final Redis redis;
  private final RedisKeys keys;

  RunIndexReader(Redis redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  Future<Optional<Run>> get(String runId) {
    return redis.send(Request.cmd(Command.HGETALL).arg(keys.run(runId))).map(RunHashCodec::decodeReply);
  }

  Future<List<Run>> getMany(List<String> runIds) {
    if (runIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Request> reads = runIds.stream().map(id -> Request.cmd(Command.HGETALL).arg(keys.run(id))).toList();
    return redis.batch(reads).map(replies -> replies.stream()
      .map(RunHashCodec::decodeReply)
      .flatMap(Optional::stream)
      .toList());
  }

  /**
   * Without a correlation id, one score range of the orchestration's index (by status when the filter names one).
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
    String index;
    long base = 0;
    long top = Long.MAX_VALUE;
    if (filter.status() == null) {
      index = keys.index(workspace, orchestrationId);
    } else {
      index = keys.statusIndex(workspace, orchestrationId);
      base = StatusBands.base(filter.status());
      top = StatusBands.top(filter.status());
    }
    String min = filter.startedAfter() == null ? bound(base) : bound(base + inBand(filter.fromMillis()));
    String max = filter.startedBefore() == null ? bound(top) : "(" + (base + inBand(filter.untilMillis()));
    return redis.batch(List.of(
        Request.cmd(Command.ZREVRANGEBYSCORE).arg(index).arg(max).arg(min).arg("LIMIT").arg(offset).arg(count),
        Request.cmd(Command.ZCOUNT).arg(index).arg(min).arg(max)))
      .map(replies -> new RunIdPage(strings(replies.get(0)), replies.get(1).toLong()));
  }

  private Future<RunIdPage> byCorrelation(String workspace, String orchestrationId, RunFilter filter, int offset,
                                          int count) {
    String min = filter.startedAfter() == null ? "-inf" : bound(filter.fromMillis());
    String max = filter.startedBefore() == null ? "+inf" : "(" + filter.untilMillis();
    // a correlation id callers gave has an index; a run's default one names its run (Correlation)
    Optional<String> ownRun = Correlation.runOf(filter.correlationId());
    Future<List<String>> indexed = redis.send(Request.cmd(Command.ZREVRANGEBYSCORE)
        .arg(keys.correlation(workspace, filter.correlationId())).arg(max).arg(min))
      .map(RunIndexReader::strings);
    Future<List<String>> candidates = ownRun.isEmpty() ? indexed : indexed.map(ids -> {
      List<String> all = new ArrayList<>(ids);
      if (!all.contains(ownRun.get())) {
        all.add(ownRun.get());
      }
      return all;
    });
    return candidates.compose(ids -> ids.isEmpty() ? Future.succeededFuture(List.<String>of()) : redis.batch(ids.stream()
        .map(id -> Request.cmd(Command.HMGET).arg(keys.run(id)).arg("workspace").arg("orchestrationId").arg("status")
          .arg("startedAt").arg("correlationId")).toList())
      .map(fields -> {
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
        // newest first, as the index answers (equal times by id, descending)
        matching.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey())
          .reversed());
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

  Future<List<Run>> finishedBatch(int max) {
    if (max < 1) {
      return Future.succeededFuture(List.of());
    }
    return redis.send(Request.cmd(Command.LRANGE).arg(keys.unarchived()).arg(0).arg(max - 1))
      .compose(ids -> getMany(strings(ids)));
  }

  Future<QueueDepths> queueDepths() {
    return redis.batch(List.of(
        Request.cmd(Command.ZCARD).arg(keys.ready()),
        Request.cmd(Command.ZCARD).arg(keys.timers()),
        Request.cmd(Command.ZCARD).arg(keys.leases()),
        Request.cmd(Command.LLEN).arg(keys.unarchived())))
      .map(r -> new QueueDepths(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong()));
  }

  Future<Long> timersDueBy(long epochMillis) {
    return redis.send(Request.cmd(Command.ZCOUNT).arg(keys.timers()).arg("-inf").arg(epochMillis))
      .map(Response::toLong);
  }

  /** Up to {@code max} ids of runs whose Redis retention ended by {@code epochMillis}, earliest first. */
  Future<List<String>> expiredBy(long epochMillis, int max) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.expiry()).arg("-inf").arg(epochMillis)
      .arg("LIMIT").arg(0).arg(max)).map(RunIndexReader::strings);
  }

  /** The run id held under an idempotency key, while the key lives. */
  Future<Optional<String>> idempotentRunId(String idempotencyKey) {
    return redis.send(Request.cmd(Command.GET).arg(idempotencyKey))
      .map(reply -> Optional.ofNullable(reply).map(Response::toString));
  }

  Future<Optional<Instant>> nextTimerDue() {
    return redis.send(Request.cmd(Command.ZRANGE).arg(keys.timers()).arg(0).arg(0).arg("WITHSCORES"))
      .map(RunIndexReader::firstScore);
  }

  /** RESP3 answers WITHSCORES as [[member, score]], RESP2 as [member, score]. */
  private static Optional<Instant> firstScore(Response reply) {
    if (reply == null || reply.size() == 0) {
      return Optional.empty();
    }
    Response first = reply.get(0);
    Response score = first.type() == ResponseType.MULTI ? first.get(1) : reply.get(1);
    return Optional.of(Instant.ofEpochMilli(Math.round(score.toDouble())));
  }

  static List<String> strings(Response reply) {
    return reply == null ? List.of() : reply.stream().map(Response::toString).toList();
  }
}
