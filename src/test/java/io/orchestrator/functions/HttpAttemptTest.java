package io.orchestrator.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What giving up on a function call does to the connection pool, against a real HTTP server and a client whose pool
 * holds a single connection (as a busy host's pool would be full): a timed-out call must free its connection at
 * once, and a call that timed out while queued for a connection must never go out late.
 */
class HttpAttemptTest {

  private static final int LIMIT = 1_048_576;

  private static FunctionServer functions;
  private static Vertx vertx;
  private static HttpClient client;
  private static Context context;

  @BeforeAll
  static void start() {
    functions = FunctionServer.start();
    vertx = Vertx.vertx();
    client = FunctionHttpClient.create(vertx, 1);
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() {
    TestApp.await(vertx.close());
    functions.close();
  }

  @Test
  @DisplayName("a call that timed out mid-answer frees its pooled connection for the next call at once")
  void timedOutCallFreesItsConnection() {
    String slow = fn();
    String next = fn();
    // 40 characters, one per 100 ms: the answer would hold the only connection for 4 s
    functions.script(slow).always(Answer.json(new JsonObject().put("slow", "abcdefghijklmnopqrstuvwxyz0"))
      .trickled(Duration.ofMillis(100)));

    Throwable timedOut = TestApp.await(send(slow, 300).transform(done -> Future.succeededFuture(done.cause())));
    long started = System.nanoTime();
    HttpAttempt.Answer answer = TestApp.await(send(next, 2_000));

    assertThat(timedOut).isInstanceOf(TimeoutException.class);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("a call whose deadline passed while it waited for a connection is never sent")
  void callGivenUpWhileQueuedIsNeverSent() throws InterruptedException {
    String busy = fn();
    String queued = fn();
    functions.script(busy).always(Answer.json(new JsonObject()).delayed(Duration.ofMillis(800)));

    Future<HttpAttempt.Answer> first = send(busy, 5_000);
    functions.awaitCalls(busy, 1, Duration.ofSeconds(5));
    Throwable late = TestApp.await(send(queued, 100).transform(done -> Future.succeededFuture(done.cause())));
    TestApp.await(first);
    Thread.sleep(300);

    assertThat(late).isInstanceOf(TimeoutException.class);
    assertThat(functions.calls(queued)).isEmpty();
  }

  @Test
  @DisplayName("an answer over the size limit is reported as too large, whatever its status")
  void oversizedAnswer() {
    String big = fn();
    functions.script(big).always(Answer.status(500, "x".repeat(LIMIT)));

    HttpAttempt.Answer answer = TestApp.await(send(big, 5_000));

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.tooLarge()).isTrue();
    assertThat(answer.body().length()).isZero();
  }

  @Test
  @DisplayName("the client closes an idle pooled connection 3 to 4 s after its last use, before common servers' 5 s "
    + "idle timeout")
  void idleConnectionsCloseBeforeCommonServerTimeouts() {
    FunctionServer own = FunctionServer.start();
    try {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(own.url("idle"));
      HttpAttempt.Answer answer = TestApp.await(onContext(() ->
        new HttpAttempt(client, options, Buffer.buffer("{}"), LIMIT).send(2_000)));
      Instant answered = Instant.now();

      Instant closed = own.awaitConnectionClosed(Duration.ofSeconds(8));

      assertThat(answer.status()).isEqualTo(200);
      assertThat(Duration.between(answered, closed)).isBetween(Duration.ofMillis(2_500), Duration.ofMillis(4_800));
    } finally {
      own.close();
    }
  }

  private static String fn() {
    return "f-" + UUID.randomUUID();
  }

  /** Sends an empty JSON body to function {@code name}, from one Vert.x context as a worker verticle would. */
  private static Future<HttpAttempt.Answer> send(String name, long timeoutMs) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(functions.url(name));
    return onContext(() -> new HttpAttempt(client, options, Buffer.buffer("{}"), LIMIT).send(timeoutMs));
  }

  private static <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
