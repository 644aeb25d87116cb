package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.common.StoreUnavailableException;
import io.orchestrator.fixtures.FaultProxy;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.store.clients.Stores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The stores' Redis client on one server ({@link PipelinedRedis} inside {@link GuardedRedis}), through a fault proxy
 * in front of the shared test Redis: one connection per event loop, answers matched to commands under pipelining,
 * an idle connection kept past the store timeout, and outages that fail as unavailable and heal by themselves.
 */
@DisplayName("the pipelined Redis client")
class PipelinedRedisIT {

  private static final int STORE_TIMEOUT_MS = 400;

  private static Vertx vertx;
  private FaultProxy proxy;
  private Redis redis;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() {
    URI target = URI.create(TestStores.redisUrl());
    proxy = FaultProxy.start(vertx, target.getHost(), target.getPort());
    redis = Stores.storeClient(vertx, "redis://127.0.0.1:" + proxy.port(), false, STORE_TIMEOUT_MS);
  }

  @AfterEach
  void stop() throws Exception {
    await(() -> redis.close());
    proxy.close();
  }

  @Test
  @DisplayName("an event loop's commands share one connection; another event loop has its own")
  void oneConnectionPerEventLoop() throws Exception {
    Context first = newContext();
    Context second = newContext();
    for (int tries = 0; threadOf(second) == threadOf(first); tries++) {
      assertThat(tries).as("a context on the other event loop").isLessThan(10);
      second = newContext();
    }
    assertThat(clientIds(first, 200)).hasSize(1);
    Set<Long> firstAgain = clientIds(first, 50);
    assertThat(firstAgain).isEqualTo(clientIds(first, 50));
    assertThat(clientIds(second, 50)).hasSize(1).doesNotContainAnyElementsOf(firstAgain);
  }

  @Test
  @DisplayName("a thousand commands in flight on one connection each get their own answer")
  void pipelinedAnswersMatchTheirCommands() throws Exception {
    String key = "pipelined-it:" + UUID.randomUUID();
    List<Long> answers = onContext(newContext(), () -> {
      List<Future<Response>> sent = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        sent.add(redis.send(Request.cmd(Command.INCR).arg(key)));
      }
      return Future.all(sent).map(all -> sent.stream().map(f -> f.result().toLong()).collect(Collectors.toList()));
    });
    redisDelete(key);
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 1_000; i++) {
      expected.add(i);
    }
    assertThat(answers).isEqualTo(expected);
  }

  @Test
  @DisplayName("idle for longer than the store timeout, the connection is kept and answers at once")
  void idleConnectionOutlivesTheStoreTimeout() throws Exception {
    Context context = newContext();
    Set<Long> before = clientIds(context, 1);
    onContext(context, () -> {
      Promise<Void> idle = Promise.promise();
      vertx.setTimer(STORE_TIMEOUT_MS * 3L, id -> idle.complete());
      return idle.future();
    });
    assertThat(clientIds(context, 1)).isEqualTo(before);
  }

  @Test
  @DisplayName("a hung server fails commands as unavailable within the store timeout, and the client heals")
  void hungServerFailsWithinTheTimeout() throws Exception {
    Context context = newContext();
    Set<Long> before = clientIds(context, 1);
    proxy.stall();
    long startedAt = System.nanoTime();
    assertUnavailable(context);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt)).isLessThan(STORE_TIMEOUT_MS * 4L);
    proxy.pass();
    assertThat(clientIdsOnceHealed(context)).doesNotContainAnyElementsOf(before);
  }

  @Test
  @DisplayName("a refused server fails commands as unavailable, and the client connects again once it is back")
  void refusedServerFailsAsUnavailable() throws Exception {
    Context context = newContext();
    clientIds(context, 1);
    proxy.refuse();
    assertUnavailable(context);
    proxy.pass();
    assertThat(clientIdsOnceHealed(context)).hasSize(1);
  }

  @Test
  @DisplayName("a connection the server closes is replaced by the next commands")
  void closedConnectionIsReplaced() throws Exception {
    Context context = newContext();
    Set<Long> before = clientIds(context, 1);
    proxy.drop();
    assertThat(clientIdsOnceHealed(context)).hasSize(1).doesNotContainAnyElementsOf(before);
  }

  @Test
  @DisplayName("callers off the event loops are served by the pooled client")
  void workerThreadsUseThePool() throws Exception {
    Response pong = redis.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS);
    assertThat(pong.toString()).isEqualTo("PONG");
  }

  private void assertUnavailable(Context context) {
    assertThatThrownBy(() -> clientIds(context, 1))
      .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreUnavailableException.class);
  }

  /** The connections' ids seen by {@code count} concurrent CLIENT ID commands sent from {@code context}. */
  private Set<Long> clientIds(Context context, int count) throws Exception {
    return onContext(context, () -> {
      List<Future<Response>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(redis.send(Request.cmd(Command.CLIENT).arg("ID")));
      }
      return Future.all(sent).map(all -> sent.stream().map(f -> f.result().toLong()).collect(Collectors.toSet()));
    });
  }

  /** Client ids once commands succeed again (a command or two may still meet the connection being replaced). */
  private Set<Long> clientIdsOnceHealed(Context context) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return clientIds(context, 10);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof StoreUnavailableException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  /** A context of its own (Vert.x gives a thread outside it the same context every time: ask from a new one). */
  private static Context newContext() throws Exception {
    CompletableFuture<Context> context = new CompletableFuture<>();
    new Thread(() -> context.complete(vertx.getOrCreateContext())).start();
    return context.get(5, TimeUnit.SECONDS);
  }

  private static Thread threadOf(Context context) throws Exception {
    return onContext(context, () -> Future.succeededFuture(Thread.currentThread()));
  }

  private void redisDelete(String key) throws Exception {
    await(() -> redis.send(Request.cmd(Command.DEL).arg(key)));
  }

  private static <T> T onContext(Context context, Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(result));
    return result.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Supplier<Future<T>> call) throws Exception {
    return call.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
