package io.orchestrator.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A client of one Redis server that sends each event loop's commands on one connection of that event loop,
 * pipelined, as ioredis does, instead of borrowing a pooled connection per command. A command costs no pool
 * acquire and release; the answers to many commands arrive in one read, and the commands written while an answer
 * is handled leave in one write, on both sides of the socket.
 *
 * <p>Callers off this client's event loops (worker threads, another Vert.x instance's threads) use the pooled client.
 * Dedicated connections ({@link #connect()}) come from the pooled client too.
 *
 * <p>A pipeline's connection carries the store timeout as the pooled ones do (the connection closes when nothing
 * arrives within it, failing what it carries); an idle pipeline sends a {@code PING} every third of the timeout so
 * that the silence limit never closes it while idle. A connection that closes or fails is replaced by the next
 * command; commands on the closed one fail (the {@link GuardedRedis} around this client names that an outage).
 */
public final class PipelinedRedis implements Redis {

  private final Vertx vertx;
  /** The client whose pool hands out only the pipelines' connections, each opened on its caller's event loop. */
  private final Redis pipelineConnections;
  private final Redis pooled;
  private final long keepAliveMs;
  private final ThreadLocal<Pipeline> pipelines = new ThreadLocal<>();
  private final Set<Pipeline> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param pipelineConnections a client of the same server used for nothing else (a connection it returned to its
   *                            pool could be handed to another event loop's pipeline); closed with this client
   * @param pooled              the pooled client for callers off the event loops and for {@link #connect()}
   * @param storeTimeoutMs      the silence after which the connections close (their read idle timeout)
   */
  public PipelinedRedis(Vertx vertx, Redis pipelineConnections, Redis pooled, long storeTimeoutMs) {
    this.vertx = vertx;
    this.pipelineConnections = pipelineConnections;
    this.pooled = pooled;
    this.keepAliveMs = Math.max(10, storeTimeoutMs / 3);
  }

  @Override
  public Future<Response> send(Request command) {
    Pipeline pipeline = pipeline();
    return pipeline == null ? pooled.send(command) : pipeline.call(connection -> connection.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    Pipeline pipeline = pipeline();
    return pipeline == null ? pooled.batch(commands) : pipeline.call(connection -> connection.batch(commands));
  }

  @Override
  public Future<RedisConnection> connect() {
    return pooled.connect();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    open.forEach(Pipeline::stop);
    open.clear();
    return Future.join(pipelineConnections.close(), pooled.close()).mapEmpty();
  }

  /** The calling event loop's pipeline, or null off this client's event loops. */
  private Pipeline pipeline() {
    if (closed || !Context.isOnEventLoopThread()) {
      return null;
    }
    Context context = Vertx.currentContext();
    if (context == null || context.owner() != vertx) {
      return null;
    }
    Pipeline pipeline = pipelines.get();
    if (pipeline == null) {
      pipeline = new Pipeline();
      pipelines.set(pipeline);
      open.add(pipeline);
    }
    return pipeline;
  }

  /** One event loop's connection; touched only on that event loop's thread. */
  private final class Pipeline {

    private Future<RedisConnection> connection;
    private boolean usedSinceLastTick;
    private final long keepAliveTimer;

    Pipeline() {
      keepAliveTimer = vertx.setPeriodic(keepAliveMs, id -> keepAlive());
    }

    <T> Future<T> call(Function<RedisConnection, Future<T>> command) {
      usedSinceLastTick = true;
      Future<RedisConnection> current = connection();
      return current.succeeded() ? command.apply(current.result()) : current.compose(command);
    }

    /** The current connection, or one being opened; a connect that failed (even at once) is not kept. */
    private Future<RedisConnection> connection() {
      Future<RedisConnection> current = connection;
      if (current == null) {
        Future<RedisConnection> opening = pipelineConnections.connect();
        connection = opening;
        opening.onComplete(done -> {
          if (done.failed()) {
            forget(opening);
          } else {
            done.result().endHandler(v -> forget(opening)).exceptionHandler(e -> forget(opening));
          }
        });
        current = opening;
      }
      return current;
    }

    private void forget(Future<RedisConnection> gone) {
      if (connection == gone) {
        connection = null;
      }
    }

    /** A PING when nothing was sent for a whole period, so that the idle connection hears something. */
    private void keepAlive() {
      Future<RedisConnection> current = connection;
      if (!usedSinceLastTick && current != null && current.succeeded()) {
        current.result().send(Request.cmd(Command.PING)).onFailure(e -> forget(current));
      }
      usedSinceLastTick = false;
    }

    void stop() {
      vertx.cancelTimer(keepAliveTimer);
    }
  }
}
