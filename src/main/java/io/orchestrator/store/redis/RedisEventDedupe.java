package io.orchestrator.store.redis;

import io.orchestrator.triggers.events.EventDedupe;
import io.orchestrator.triggers.events.EventRun;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link EventDedupe} as one string per workspace and event id holding the runs' JSON, {@code SET NX PX 24h}. */
public final class RedisEventDedupe implements EventDedupe {

  static final Duration TTL = Duration.ofHours(TTL_HOURS);

  private final Redis redis;
  private final Keyspace keys;

  public RedisEventDedupe(Redis redis, Keyspace keys) {
    this.redis = redis;
    this.keys = keys;
  }

  @Override
  public Future<Optional<List<EventRun>>> find(String workspace, String eventId) {
    return redis.send(Request.cmd(Command.GET).arg(keys.ofName(workspace + ":" + eventId).eventDedupe(workspace, eventId)))
      .map(RedisEventDedupe::decode);
  }

  @Override
  public Future<Optional<List<EventRun>>> remember(String workspace, String eventId, List<EventRun> runs) {
    String key = keys.ofName(workspace + ":" + eventId).eventDedupe(workspace, eventId);
    JsonArray json = new JsonArray(runs.stream().map(EventRun::toJson).toList());
    return redis.send(Request.cmd(Command.SET).arg(key).arg(json.encode()).arg("NX").arg("PX").arg(TTL.toMillis()))
      .compose(set -> set != null
        ? Future.succeededFuture(Optional.<List<EventRun>>empty())
        : redis.send(Request.cmd(Command.GET).arg(key)).map(RedisEventDedupe::decode));
  }

  private static Optional<List<EventRun>> decode(Response reply) {
    if (reply == null) {
      return Optional.empty();
    }
    JsonArray runs = new JsonArray(reply.toString());
    return Optional.of(runs.stream().map(run -> EventRun.fromJson((JsonObject) run)).toList());
  }
}
