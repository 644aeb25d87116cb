package io.orchestrator.store.redis;

import io.orchestrator.tasks.TaskSignal;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TaskSignal} over Redis pub/sub: local long-polls hear at once, other instances through the channel. */
public final class RedisTaskSignal implements TaskSignal {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTaskSignal.class);

  private final Redis publisher;
  private final String channel;
  private final RedisSubscription subscription;
  private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

  public RedisTaskSignal(Vertx vertx, Redis publisher, Redis subscriberClient, Keyspace keys) {
    this.publisher = publisher;
    this.channel = keys.taskChannel();
    this.subscription = new RedisSubscription(vertx, subscriberClient, channel, this::onMessage);
  }

  /** Starts hearing other instances' signals. */
  public void subscribe() {
    subscription.start();
  }

  public void close() {
    subscription.close();
  }

  @Override
  public void taskAvailable(String workspace, String queue) {
    listeners.forEach(l -> l.accept(workspace, queue));
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(workspace + " " + queue))
      .onFailure(e -> LOG.debug("task signal not published: {}", e.getMessage()));
  }

  @Override
  public void onTaskAvailable(BiConsumer<String, String> listener) {
    listeners.add(listener);
  }

  private void onMessage(String payload) {
    String[] parts = payload.split(" ", 2);
    if (parts.length == 2) {
      listeners.forEach(l -> l.accept(parts[0], parts[1]));
    }
  }
}
