package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * Closed-loop trigger load: keeps {@code concurrency} trigger requests in flight (round-robin over the instances)
 * until {@code count} runs were accepted or {@code seconds} passed, then prints accepted runs/s and the request
 * latency percentiles (sorted by hand). Used by bench/memory.sh, and by bench/trigger-api.sh when wrk is missing.
 *
 * <p>{@code --ports=… --token=… --workspace=… --orchestration=… [--count=N] [--seconds=S] [--concurrency=64]}
 */
public final class TriggerLoad {

  private static final Buffer BODY = Buffer.buffer("{\"input\":{\"orderId\":42,\"amount\":99.5}}");

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    List<Integer> ports = BenchKit.ports(args);
    int count = BenchKit.integer(args, "count", 0);
    int seconds = BenchKit.integer(args, "seconds", count > 0 ? 0 : 20);
    int concurrency = BenchKit.integer(args, "concurrency", 64);
    Vertx vertx = BenchKit.vertx();
    Api api = new Api(vertx, ports, BenchKit.need(args, "workspace"), BenchKit.need(args, "token"), concurrency);
    Load load = new Load(vertx, api, "/orchestrations/" + BenchKit.need(args, "orchestration") + "/trigger", count,
      seconds * 1_000_000_000L, concurrency);
    BenchKit.await(load.start());
    double rate = load.accepted * 1e9 / load.elapsedNs;
    BenchKit.out("triggers: %d accepted (201), %d other answers/errors in %.1f s: %.0f accepted runs/s",
      load.accepted, load.rejected, load.elapsedNs / 1e9, rate);
    long[] ms = new long[load.done];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = load.latencyUs[i];
    }
    BenchKit.out("trigger latency us: %s", BenchKit.summary(ms));
    BenchKit.out("RESULT trigger accepted=%d runs_per_s=%.0f p50_ms=%.1f p99_ms=%.1f", load.accepted, rate,
      BenchKit.pct(ms, 50) / 1000.0, BenchKit.pct(ms, 99) / 1000.0);
    System.exit(0);
  }

  private static final class Load {
    private final Vertx vertx;
    private final Api api;
    private final String path;
    private final int count;
    private final long durationNs;
    private final int concurrency;
    private final Context context;
    private final Promise<Void> finished = Promise.promise();
    long[] latencyUs = new long[1 << 16];
    int done;
    int accepted;
    int rejected;
    long elapsedNs;
    private long startNs;
    private long issued;
    private int inFlight;

    Load(Vertx vertx, Api api, String path, int count, long durationNs, int concurrency) {
      this.vertx = vertx;
      this.api = api;
      this.path = path;
      this.count = count;
      this.durationNs = durationNs;
      this.concurrency = concurrency;
      this.context = vertx.getOrCreateContext();
    }

    io.vertx.core.Future<Void> start() {
      context.runOnContext(v -> {
        startNs = System.nanoTime();
        pump();
      });
      return finished.future();
    }

    private boolean more() {
      return count > 0 ? issued < count : System.nanoTime() - startNs < durationNs;
    }

    private void pump() {
      while (inFlight < concurrency && more()) {
        long i = issued++;
        inFlight++;
        long t0 = System.nanoTime();
        api.send(HttpMethod.POST, api.port(i), path, BODY).onComplete(ar -> {
          inFlight--;
          if (done == latencyUs.length) {
            latencyUs = java.util.Arrays.copyOf(latencyUs, done * 2);
          }
          latencyUs[done++] = (System.nanoTime() - t0) / 1000;
          if (ar.succeeded() && ar.result().statusCode() == 201) {
            accepted++;
          } else if (++rejected <= 5) {
            BenchKit.out("trigger failed: %s", ar.succeeded()
              ? ar.result().statusCode() + " " + ar.result().bodyAsString() : ar.cause().toString());
          }
          pump();
          if (inFlight == 0 && !more()) {
            elapsedNs = System.nanoTime() - startNs;
            finished.tryComplete();
          }
        });
      }
    }
  }
}
