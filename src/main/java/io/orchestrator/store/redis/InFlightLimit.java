package io.orchestrator.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * At most {@code limit} calls in flight; the others wait, in order, and each starts on its caller's context. Thread
 * safe: one limit is shared by every verticle of the process.
 *
 * <p>Why, for the Redis Cluster client (vertx-redis-client 5.0): it serves each command with a connection borrowed
 * from every master's pool, and holds the ones it got while it waits for the others (and, every second, for a slot
 * refresh that needs one more). With more commands in flight than a pool has connections, commands end up holding
 * what others wait for, with no timeout on the wait: the client stalls until the store timeout closes connections
 * (a burst of 503s), or for good. Fewer commands in flight than the pool size means every one gets its connections.
 */
final class InFlightLimit {

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  InFlightLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  <T> Future<T> run(Supplier<Future<T>> call) {
    Context context = Vertx.currentContext();
    Promise<T> answer = Promise.promise();
    waiting.add(() -> {
      if (context == null || Vertx.currentContext() == context) {
        start(call, answer);
      } else {
        context.runOnContext(v -> start(call, answer));
      }
    });
    drain();
    return answer.future();
  }

  private <T> void start(Supplier<Future<T>> call, Promise<T> answer) {
    Future<T> started;
    try {
      started = call.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(done -> {
      inFlight.decrementAndGet();
      drain();
      answer.handle(done);
    });
  }

  /** Starts waiting calls while there is room; a call left waiting is started when one in flight ends. */
  private void drain() {
    while (!waiting.isEmpty()) {
      int now = inFlight.get();
      if (now >= limit) {
        return;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        Runnable next = waiting.poll();
        if (next == null) {
          inFlight.decrementAndGet();
        } else {
          next.run();
        }
      }
    }
  }
}
