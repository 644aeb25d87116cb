package io.orchestrator.store.redis;

import io.orchestrator.common.Partitions;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WakeSignal} over Redis pub/sub. Local listeners hear every signal at once; other instances hear it through
 * the channel, as {@code "<due ms> <partition>[,<partition>…]"} ({@code *} for every partition). Signals for "now"
 * are coalesced to at most one publish per {@link #COALESCE_MS}, naming every partition signalled in the window (a
 * trailing publish closes each window, so no signal is lost), keeping the trigger hot path to one extra command per
 * window. A future due time is published only when it is earlier than the earliest one this instance published for
 * that partition that has not passed yet: every listening loop wakes by then anyway and learns the partition's
 * earliest due time from its claim, so a stream of parks with later and later due times costs one publish, not one
 * each.
 */
public final class RedisWakeSignal implements WakeSignal {

  private static final Logger LOG = LoggerFactory.getLogger(RedisWakeSignal.class);
  static final long COALESCE_MS = 2;
  private static final String EVERY = "*";

  private final Vertx vertx;
  private final Clock clock;
  private final Partitions partitions;
  private final Redis publisher;
  private final String channel;
  private final RedisSubscription subscription;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /** Partitions signalled "now" since the last publish, and when that was; guarded by {@code this}. */
  private final BitSet pendingNow = new BitSet();
  private long lastImmediate;
  private boolean trailingScheduled;
  /** Per partition, the earliest future due time published by this instance; once it has passed, none is pending. */
  private final AtomicLongArray earliestPublished;

  /** The run engine's signal, on {@link Keyspace#wakeChannel()}. */
  public RedisWakeSignal(Vertx vertx, Redis publisher, Redis subscriberClient, Keyspace keys, Clock clock) {
    this(vertx, publisher, subscriberClient, keys.wakeChannel(), keys.partitions(), clock);
  }

  /** A signal on another channel, e.g. {@link Keyspace#scheduleWakeChannel()} for the schedulers. */
  public RedisWakeSignal(Vertx vertx, Redis publisher, Redis subscriberClient, String channel, Partitions partitions,
                         Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.partitions = partitions;
    this.publisher = publisher;
    this.channel = channel;
    this.earliestPublished = new AtomicLongArray(partitions.count());
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
  public void runDue(String runOrTaskId, long dueAtMillis) {
    int partition = partitions.of(runOrTaskId);
    listeners.forEach(listener -> listener.due(partition, dueAtMillis));
    long now = clock.millis();
    if (dueAtMillis > now) {
      if (!announcedBy(partition, dueAtMillis, now)) {
        publish(dueAtMillis, Integer.toString(partition));
      }
      return;
    }
    String publishNow;
    synchronized (this) {
      pendingNow.set(partition);
      if (now - lastImmediate >= COALESCE_MS) {
        lastImmediate = now;
        publishNow = takePending();
      } else {
        publishNow = null;
        if (!trailingScheduled) {
          trailingScheduled = true;
          vertx.setTimer(COALESCE_MS, id -> publishTrailing());
        }
      }
    }
    if (publishNow != null) {
      publish(now, publishNow);
    }
  }

  @Override
  public void anyDue(long dueAtMillis) {
    listeners.forEach(listener -> listener.due(ALL_PARTITIONS, dueAtMillis));
    publish(Math.max(dueAtMillis, clock.millis()), EVERY);
  }

  private void publishTrailing() {
    String pending;
    long fired = clock.millis();
    synchronized (this) {
      trailingScheduled = false;
      if (pendingNow.isEmpty()) {
        return;
      }
      lastImmediate = fired;
      pending = takePending();
    }
    publish(fired, pending);
  }

  /** The pending partitions as a comma-separated list, cleared; call holding {@code this}. */
  private String takePending() {
    StringBuilder list = new StringBuilder();
    pendingNow.stream().forEach(p -> list.append(list.length() == 0 ? "" : ",").append(p));
    pendingNow.clear();
    return list.toString();
  }

  /** True when a published, still future due time of the partition comes no later than {@code due}; else records it. */
  private boolean announcedBy(int partition, long due, long now) {
    while (true) {
      long earliest = earliestPublished.get(partition);
      if (earliest > now && earliest <= due) {
        return true;
      }
      if (earliestPublished.compareAndSet(partition, earliest, due)) {
        return false;
      }
    }
  }

  @Override
  public void onRunDue(Listener listener) {
    listeners.add(listener);
  }

  private void publish(long due, String partitionList) {
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(due + " " + partitionList))
      .onFailure(e -> LOG.debug("wake signal not published: {}", e.getMessage()));
  }

  private void onMessage(String payload) {
    int space = payload.indexOf(' ');
    try {
      long due = Long.parseLong(space < 0 ? payload : payload.substring(0, space));
      String list = space < 0 ? EVERY : payload.substring(space + 1);
      if (list.equals(EVERY)) {
        listeners.forEach(listener -> listener.due(ALL_PARTITIONS, due));
        return;
      }
      for (String part : list.split(",")) {
        int partition = Integer.parseInt(part);
        if (partition >= 0 && partition < partitions.count()) {
          listeners.forEach(listener -> listener.due(partition, due));
        }
      }
    } catch (NumberFormatException e) {
      LOG.debug("ignoring malformed wake signal");
    }
  }
}
