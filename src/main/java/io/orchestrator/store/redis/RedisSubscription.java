package io.orchestrator.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.function.Consumer;

/**
 * One pub/sub channel on a dedicated connection (a subscribed connection can do nothing else), delivering each
 * message's payload; reconnects and resubscribes by itself after a drop.
 */
final class RedisSubscription {

  private static final long RECONNECT_MS = 1000;

  private final Vertx vertx;
  private final Redis client;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Promise<Void> subscribed = Promise.promise();
  private volatile Runnable onResubscribed = () -> { };
  private volatile boolean closed;
  private volatile RedisConnection connection;

  RedisSubscription(Vertx vertx, Redis client, String channel, Consumer<String> onMessage) {
    this.vertx = vertx;
    this.client = client;
    this.channel = channel;
    this.onMessage = onMessage;
  }

  void start() {
    if (closed) {
      return;
    }
    client.connect().onSuccess(conn -> {
      connection = conn;
      conn.handler(this::deliver);
      conn.exceptionHandler(e -> reconnectLater());
      conn.endHandler(v -> reconnectLater());
      conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onFailure(e -> reconnectLater())
        .onSuccess(v -> {
          if (!subscribed.tryComplete()) {
            onResubscribed.run();
          }
        });
    }).onFailure(e -> reconnectLater());
  }

  /** Called after every subscription but the first: messages published while it was down are lost. */
  void onResubscribed(Runnable action) {
    this.onResubscribed = action;
  }

  /** Completes once the channel was first subscribed (messages published from then on are delivered). */
  Future<Void> subscribed() {
    return subscribed.future();
  }

  void close() {
    closed = true;
    if (connection != null) {
      connection.close();
    }
    client.close();
  }

  private void deliver(Response message) {
    if ((message.type() == ResponseType.PUSH || message.type() == ResponseType.MULTI) && message.size() == 3
      && "message".equals(message.get(0).toString())) {
      onMessage.accept(message.get(2).toString());
    }
  }

  private void reconnectLater() {
    connection = null;
    if (!closed) {
      vertx.setTimer(RECONNECT_MS, id -> start());
    }
  }
}
