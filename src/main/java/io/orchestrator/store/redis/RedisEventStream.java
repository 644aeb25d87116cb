package io.orchestrator.store.redis;

import io.orchestrator.triggers.events.EventStream;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link EventStream} on a Redis stream and consumer group. The blocking {@code XREADGROUP} runs on its own client
 * so it never holds a connection of the shared pool; every other command uses the shared client. Replies are read
 * in both RESP2 (arrays) and RESP3 (maps) shapes.
 */
public final class RedisEventStream implements EventStream {

  /** The field of a stream entry that holds the event JSON. */
  public static final String EVENT_FIELD = "event";

  private final Redis redis;
  private final Redis blocking;
  private final String stream;
  private final String group;
  private final String consumer;
  private volatile String claimCursor = "0-0";

  /**
   * @param blocking a client of its own, closed by {@link #close()}
   * @param consumer this instance's consumer name in the group; unique per instance
   */
  public RedisEventStream(Redis redis, Redis blocking, Keyspace keys, String group, String consumer) {
    this.redis = redis;
    this.blocking = blocking;
    this.stream = keys.eventStream();
    this.group = group;
    this.consumer = consumer;
  }

  /** The group starts at the stream's beginning, so events added before the first consumer ran are handled too. */
  @Override
  public Future<Void> createGroup() {
    return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg("0").arg("MKSTREAM"))
      .<Void>mapEmpty()
      .recover(err -> err.getMessage() != null && err.getMessage().startsWith("BUSYGROUP")
        ? Future.succeededFuture() : Future.failedFuture(err));
  }

  @Override
  public Future<List<Entry>> readNew(int max, Duration block) {
    return blocking.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(max)
        .arg("BLOCK").arg(Math.max(1, block.toMillis())).arg("STREAMS").arg(stream).arg(">"))
      .map(RedisEventStream::streams);
  }

  @Override
  public Future<List<Entry>> claimStale(Duration minIdle, int max) {
    return redis.send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(group).arg(consumer).arg(minIdle.toMillis())
        .arg(claimCursor).arg("COUNT").arg(max))
      .map(reply -> {
        claimCursor = reply.get(0).toString();
        return entries(reply.get(1));
      });
  }

  @Override
  public Future<Void> ack(String entryId) {
    return redis.send(Request.cmd(Command.XACK).arg(stream).arg(group).arg(entryId)).mapEmpty();
  }

  /**
   * Trims with {@code XTRIM MINID} below the oldest entry some group still needs: per group, its oldest pending
   * entry, else its last delivered one. Not atomic, and need not be: meanwhile groups only read past their last
   * delivered entry, so the bound only grows.
   */
  @Override
  public Future<Long> trim(Instant cutoff) {
    return redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream))
      .compose(groups -> Future.all(groupBounds(groups)))
      .map(bounds -> bounds.<StreamId>list().stream().reduce(StreamId.of(cutoff), StreamId::min))
      .compose(bound -> redis.send(Request.cmd(Command.XTRIM).arg(stream).arg("MINID").arg(bound.toString())))
      .map(Response::toLong)
      .recover(err -> err.getMessage() != null && err.getMessage().contains("no such key")
        ? Future.succeededFuture(0L) : Future.failedFuture(err));
  }

  /** Per group, the oldest entry it still needs (XINFO GROUPS reply, RESP2 flat arrays or RESP3 maps). */
  private List<Future<StreamId>> groupBounds(Response groups) {
    List<Future<StreamId>> bounds = new ArrayList<>();
    for (Response group : groups) {
      Map<String, String> info = RunHashCodec.fields(group);
      StreamId lastDelivered = StreamId.parse(info.get("last-delivered-id"));
      if (Long.parseLong(info.getOrDefault("pending", "0")) == 0) {
        bounds.add(Future.succeededFuture(lastDelivered));
      } else {
        bounds.add(redis.send(Request.cmd(Command.XPENDING).arg(stream).arg(info.get("name")))
          .map(summary -> summary.get(1) == null ? lastDelivered : StreamId.parse(summary.get(1).toString())));
      }
    }
    return bounds;
  }

  /** A stream entry id {@code <ms>-<seq>}, ordered as Redis orders them. */
  record StreamId(long millis, long sequence) {

    static StreamId of(Instant instant) {
      return new StreamId(instant.toEpochMilli(), 0);
    }

    static StreamId parse(String id) {
      int dash = id.indexOf('-');
      return dash < 0 ? new StreamId(Long.parseUnsignedLong(id), 0)
        : new StreamId(Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    static StreamId min(StreamId a, StreamId b) {
      int byMillis = Long.compareUnsigned(a.millis, b.millis);
      return byMillis < 0 || (byMillis == 0 && Long.compareUnsigned(a.sequence, b.sequence) <= 0) ? a : b;
    }

    @Override
    public String toString() {
      return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
  }

  @Override
  public Future<Void> close() {
    return blocking.close();
  }

  /** XREAD-style reply: RESP3 {stream: entries}, RESP2 [[stream, entries]], or null on timeout. */
  static List<Entry> streams(Response reply) {
    List<Entry> all = new ArrayList<>();
    if (reply == null) {
      return all;
    }
    if (reply.isMap()) {
      reply.getKeys().forEach(key -> all.addAll(entries(reply.get(key))));
    } else {
      reply.forEach(pair -> all.addAll(entries(pair.get(1))));
    }
    return all;
  }

  /**
   * [[id, [field, value, …]], …]; an entry deleted while pending has no fields and gets a null event (Redis 7), or
   * comes back as a nil element without even its id (XAUTOCLAIM on Redis 6.2), which is skipped.
   */
  static List<Entry> entries(Response list) {
    List<Entry> entries = new ArrayList<>();
    if (list == null) {
      return entries;
    }
    for (Response entry : list) {
      if (entry == null) {
        continue;
      }
      entries.add(new Entry(entry.get(0).toString(), RunHashCodec.fields(entry.get(1)).get(EVENT_FIELD)));
    }
    return entries;
  }
}
