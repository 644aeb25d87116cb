package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bulk redrive of many failed runs beside a steady workload.
 *
 * <ol>
 *   <li>Creates {@code failed} runs that fail at once (a decision step with no matching case) and waits until every
 *       one is failed. A redriven run fails again the same way, so the bulk's cost includes re-executing the runs.</li>
 *   <li>After the history has caught up with them, 10 s of the steady load to warm up (not measured).</li>
 *   <li>Baseline: {@code rate} triggers/s (open loop) of a one-step orchestration calling a no-op function, for
 *       {@code seconds}; latency = trigger sent → the function call's arrival (the run's step started), and the
 *       trigger request's own latency.</li>
 *   <li>The same load again; after 2 s, {@code POST …/runs/bulk {action: redrive, filter: {status: failed}}}; the
 *       load goes on until the bulk operation completes. Figures: runs redriven per second
 *       ({@code matched / (completedAt - createdAt)}) and the same latencies, of the triggers sent while the bulk
 *       ran, next to the baseline's.</li>
 * </ol>
 *
 * <p>{@code --ports=… --token=… --workspace=… [--failed=20000] [--rate=200] [--seconds=20]}
 */
public final class BulkBench {

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    int failed = BenchKit.integer(args, "failed", 20_000);
    int rate = BenchKit.integer(args, "rate", 200);
    int seconds = BenchKit.integer(args, "seconds", 20);
    Vertx vertx = BenchKit.vertx();
    Api api = new Api(vertx, BenchKit.ports(args), BenchKit.need(args, "workspace"), BenchKit.need(args, "token"),
      64);
    NoopFunctionServer function = NoopFunctionServer.start(vertx, 1, true);
    String steady = api.createOrchestration("bench-steady",
      new JsonArray().add(BenchKit.compute("noop", api.createFunction("noop", function.url()), null)));
    String failing = api.createOrchestration("bench-failing",
      new JsonArray().add(BenchKit.decisionOkThen("decide", "input.ok", "decide")));

    long t0 = System.nanoTime();
    createFailedRuns(vertx, api, failing, failed);
    awaitArchived(api);
    BenchKit.out("setup: %d failed runs (and archived to the history) in %.1f s", failed,
      (System.nanoTime() - t0) / 1e9);
    OpenLoad warmUp = new OpenLoad(vertx, api, steady, rate, 2_000);
    warmUp.start();
    BenchKit.sleep(10_000);
    BenchKit.await(warmUp.stop());
    awaitArchived(api);

    BenchKit.out("--- baseline: %d runs/s for %d s, no bulk", rate, seconds);
    OpenLoad baseline = new OpenLoad(vertx, api, steady, rate, 2_000);
    baseline.start();
    BenchKit.sleep(seconds * 1000L);
    BenchKit.await(baseline.stop());
    BenchKit.sleep(2_000);
    report(baseline.answers(), function, 0, Long.MAX_VALUE);

    BenchKit.out("--- with a bulk redrive of the %d failed runs: %d runs/s", failed, rate);
    OpenLoad loaded = new OpenLoad(vertx, api, steady, rate, 2_000);
    loaded.start();
    BenchKit.sleep(2_000);
    long bulkStart = System.currentTimeMillis();
    JsonObject accepted = BenchKit.await(api.json(HttpMethod.POST, api.port(0), "/orchestrations/" + failing
      + "/runs/bulk", new JsonObject().put("action", "redrive").put("filter", new JsonObject().put("status",
      "failed"))));
    long answered = System.currentTimeMillis();
    JsonObject done = awaitCompleted(api, accepted.getString("id"));
    long bulkEnd = System.currentTimeMillis();
    BenchKit.await(loaded.stop());
    BenchKit.sleep(2_000);
    long took = Instant.parse(done.getString("completedAt")).toEpochMilli()
      - Instant.parse(done.getString("createdAt")).toEpochMilli();
    BenchKit.out("bulk: POST answered in %d ms (matched=%d); completed in %.1f s: %.0f runs redriven/s "
        + "(succeeded=%d skipped=%d failed=%d)", answered - bulkStart, done.getInteger("matched"), took / 1000.0,
      done.getInteger("succeeded") * 1000.0 / Math.max(1, took), done.getInteger("succeeded"),
      done.getInteger("skipped"), done.getInteger("failed"));
    report(loaded.answers(), function, bulkStart, bulkEnd);
    System.exit(0);
  }

  /** Triggers {@code count} runs of the failing orchestration (64 in flight), then waits until all failed. */
  private static void createFailedRuns(Vertx vertx, Api api, String orchestration, int count) {
    Promise<Void> all = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Buffer body = Buffer.buffer("{\"input\":{\"ok\":false}}");
    vertx.runOnContext(v -> {
      for (int i = 0; i < 64; i++) {
        triggerNext(api, orchestration, body, count, next, finished, all);
      }
    });
    BenchKit.await(all.future());
    while (BenchKit.await(api.countRuns(api.port(0), orchestration, "failed")) < count) {
      BenchKit.sleep(500);
    }
  }

  private static void triggerNext(Api api, String orchestration, Buffer body, int count, AtomicInteger next,
                                  AtomicInteger finished, Promise<Void> all) {
    int n = next.getAndIncrement();
    if (n >= count) {
      return;
    }
    api.send(HttpMethod.POST, api.port(n), "/orchestrations/" + orchestration + "/trigger", body)
      .onComplete(ar -> {
        if (ar.failed() || ar.result().statusCode() != 201) {
          all.tryFail("trigger failed: " + (ar.failed() ? ar.cause() : ar.result().bodyAsString()));
          return;
        }
        if (finished.incrementAndGet() == count) {
          all.tryComplete();
        }
        triggerNext(api, orchestration, body, count, next, finished, all);
      });
  }

  /** Waits until no finished run waits for its history write on any instance (orchestrator_queue_unarchived 0). */
  private static void awaitArchived(Api api) {
    for (int port : api.ports) {
      while (true) {
        String metrics = BenchKit.await(api.http.get(port, "127.0.0.1", "/metrics").send()).bodyAsString();
        double unarchived = metrics.lines().filter(l -> l.startsWith("orchestrator_queue_unarchived "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst().orElse(0);
        if (unarchived == 0) {
          break;
        }
        BenchKit.sleep(500);
      }
    }
  }

  private static JsonObject awaitCompleted(Api api, String bulkId) {
    while (true) {
      JsonObject op = BenchKit.await(api.json(HttpMethod.GET, api.port(0), "/bulk-operations/" + bulkId, null));
      if ("completed".equals(op.getString("status"))) {
        return op;
      }
      BenchKit.sleep(200);
    }
  }

  /** Latencies of the triggers sent in [fromMs, untilMs). */
  private static void report(List<OpenLoad.Answer> answers, NoopFunctionServer function, long fromMs, long untilMs) {
    List<Long> request = new ArrayList<>();
    List<Long> start = new ArrayList<>();
    int errors = 0;
    int notStarted = 0;
    for (OpenLoad.Answer a : answers) {
      if (a.sentMs() < fromMs || a.sentMs() >= untilMs) {
        continue;
      }
      if (a.status() != 201) {
        errors++;
        continue;
      }
      request.add(a.answeredMs() - a.sentMs());
      Long arrival = function.arrivals.get(a.runId());
      if (arrival == null) {
        notStarted++;
      } else {
        start.add(arrival - a.sentMs());
      }
    }
    BenchKit.out("trigger request ms: %s", BenchKit.summary(BenchKit.toArray(request)));
    BenchKit.out("trigger -> step started ms: %s (not started within 2 s of the end: %d; errors: %d)",
      BenchKit.summary(BenchKit.toArray(start)), notStarted, errors);
  }
}
