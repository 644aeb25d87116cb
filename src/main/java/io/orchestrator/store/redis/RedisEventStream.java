package io.orchestrator.store.redis;

import io.orchestrator.triggers.events.EventStream;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
  public RedisEventStream(Redis redis, Redis blocking, RedisKeys keys, String group, String consumer) {
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
