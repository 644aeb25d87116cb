package io.orchestrator.store.redis;

import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunIdPage;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Instant;
import java.util.List;
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

  Future<RunIdPage> listIds(String workspace, String orchestrationId, RunStatus status, int offset, int count) {
    if (offset < 0 || count < 1) {
      return Future.failedFuture(new IllegalArgumentException("offset must be >= 0 and count >= 1"));
    }
    List<Request> reads;
    if (status == null) {
      String index = keys.index(workspace, orchestrationId);
      reads = List.of(
        Request.cmd(Command.ZREVRANGE).arg(index).arg(offset).arg(offset + count - 1L),
        Request.cmd(Command.ZCARD).arg(index));
    } else {
      String index = keys.statusIndex(workspace, orchestrationId);
      long base = StatusBands.base(status);
      long top = StatusBands.top(status);
      reads = List.of(
        Request.cmd(Command.ZREVRANGEBYSCORE).arg(index).arg(top).arg(base).arg("LIMIT").arg(offset).arg(count),
        Request.cmd(Command.ZCOUNT).arg(index).arg(base).arg(top));
    }
    return redis.batch(reads).map(replies -> new RunIdPage(strings(replies.get(0)), replies.get(1).toLong()));
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
