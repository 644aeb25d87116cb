package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop triggers: trigger number n is due at start + n / rate, whatever became of the earlier ones, spread
 * round-robin over the instances with body {@code {"input": {"i": n}}}. At most {@code maxInFlight} requests are
 * outstanding; a trigger due while the cap is reached is skipped (counted, not sent). A request without an answer
 * after {@value #ANSWER_TIMEOUT_SECONDS} s counts as unanswered. Every answer is kept for the figures. The requests go
 * through a {@link LeanHttp}, so that the generator takes as little as it can of the cores it shares with the service.
 */
final class OpenLoad {

  static final int CONNECTION_ERROR = -1;
  static final int NO_ANSWER = -2;
  private static final long ANSWER_TIMEOUT_SECONDS = 30;

  /**
   * One trigger's outcome; times are epoch ms.
   *
   * @param status the HTTP status, or {@link #CONNECTION_ERROR} / {@link #NO_ANSWER}
   * @param code   the error body's {@code error} code, the exception's class for a connection error, else null
   * @param runId  the run's id when 201
   */
  record Answer(long sentMs, long answeredMs, int status, String code, String runId) {
  }

  private final Vertx vertx;
  private final Api api;
  private final LeanHttp http;
  private final String path;
  private final int rate;
  private final int maxInFlight;
  private final Context context;
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Promise<Void> drained = Promise.promise();
  private long startNs;
  // written on the load's context only, read by the bench thread after stop()
  private volatile long sent;
  private volatile long skipped;
  private long timer;
  private volatile boolean stopping;

  OpenLoad(Vertx vertx, Api api, String orchestrationId, int rate, int maxInFlight) {
    this.vertx = vertx;
    this.api = api;
    this.http = api.leanClient(vertx);
    this.path = api.path("/orchestrations/" + orchestrationId + "/trigger");
    this.rate = rate;
    this.maxInFlight = maxInFlight;
    this.context = vertx.getOrCreateContext();
  }

  void start() {
    context.runOnContext(v -> {
      startNs = System.nanoTime();
      timer = vertx.setPeriodic(2, id -> tick());
    });
  }

  /** Sends no more triggers; completes once every request sent has its outcome. */
  Future<Void> stop() {
    context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      stopping = true;
      if (inFlight.get() == 0) {
        drained.tryComplete();
      }
    });
    return drained.future().compose(v -> http.close());
  }

  List<Answer> answers() {
    return new ArrayList<>(answers);
  }

  long sent() {
    return sent;
  }

  long skipped() {
    return skipped;
  }

  private void tick() {
    long due = (System.nanoTime() - startNs) * rate / 1_000_000_000L;
    while (sent < due) {
      if (inFlight.get() >= maxInFlight) {
        skipped++;
      } else {
        fire(sent);
      }
      sent++;
    }
  }

  private void fire(long n) {
    inFlight.incrementAndGet();
    long sentMs = System.currentTimeMillis();
    Buffer body = Buffer.buffer("{\"input\":{\"i\":" + n + "}}");
    http.postJson(api.port(n), path, body).timeout(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
      .onComplete(ar -> {
        answers.add(answer(sentMs, ar));
        if (inFlight.decrementAndGet() == 0 && stopping) {
          drained.tryComplete();
        }
      });
  }

  private static Answer answer(long sentMs, AsyncResult<LeanHttp.Response> ar) {
    long now = System.currentTimeMillis();
    if (ar.failed()) {
      boolean timedOut = ar.cause() instanceof TimeoutException;
      return new Answer(sentMs, now, timedOut ? NO_ANSWER : CONNECTION_ERROR, timedOut ? null
        : ar.cause().getClass().getSimpleName(), null);
    }
    LeanHttp.Response response = ar.result();
    if (response.status() == 201) {
      return new Answer(sentMs, now, 201, null, LeanHttp.runId(response.body()));
    }
    JsonObject body = json(response.body());
    return new Answer(sentMs, now, response.status(), body == null ? null : body.getString("error"), null);
  }

  private static JsonObject json(Buffer body) {
    try {
      return body == null ? null : new JsonObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
