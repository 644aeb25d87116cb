package io.orchestrator.store.redis;

import io.orchestrator.runs.RunEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunEvents} from the {@code {p}:runevents} channel, on which every run transition script publishes
 * {@code "<runId> <seq> <workspace> <orchestrationId>"} (see {@code runChanged} in {@link LuaPrelude}). The channel is
 * subscribed on the first listener only, so an instance nobody watches runs from receives nothing.
 */
public final class RedisRunEvents implements RunEvents {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRunEvents.class);

  private final RedisSubscription subscription;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

  public RedisRunEvents(Vertx vertx, Redis subscriberClient, Keyspace keys) {
    this.subscription = new RedisSubscription(vertx, subscriberClient, keys.runEventsChannel(), this::onMessage);
  }

  @Override
  public synchronized Future<Void> onChange(Consumer<Change> listener) {
    listeners.add(listener);
    if (listeners.size() == 1) {
      subscription.start();
    }
    return subscription.subscribed();
  }

  @Override
  public void onMissed(Runnable action) {
    subscription.onResubscribed(action);
  }

  public void close() {
    subscription.close();
  }

  private void onMessage(String payload) {
    String[] parts = payload.split(" ", 4);
    if (parts.length != 4) {
      LOG.debug("ignoring malformed run event");
      return;
    }
    try {
      Change change = new Change(parts[0], Long.parseLong(parts[1]), parts[2], parts[3]);
      listeners.forEach(listener -> listener.accept(change));
    } catch (NumberFormatException e) {
      LOG.debug("ignoring malformed run event");
    }
  }
}
