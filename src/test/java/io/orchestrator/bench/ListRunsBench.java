package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.orchestrator.common.Ids;
import io.orchestrator.common.Partitions;
import io.orchestrator.runs.NewRun;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisRunStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * List Runs latency over an orchestration with many runs in Redis (bench/list-runs-scale.sh).
 *
 * <p>{@code --mode=seed}: writes {@code --runs} pending runs of one orchestration straight into Redis with the
 * service's own {@link RedisRunStore#create} (the createRun script: run hash, ready-queue entry, index and status
 * index entries in the run's partition), {@code --concurrency} calls in flight. Their startedAt values are spread
 * {@code --stepMs} apart, ending now, so a startedAfter filter selects a known share. Prints Redis used_memory per run.
 *
 * <p>{@code --mode=measure}: GETs List Runs one request at a time ({@code --requests} each, after 20 unmeasured) for
 * the first page, a deep page, a status filter matching every run, one matching none and a startedAfter filter
 * covering the newest half; prints p50 / p99 / max and the Redis CPU per request (INFO cpu).
 *
 * <p>{@code --redisUrl=… --prefix=… --partitions=16 --workspace=… --orchestration=… [--runs=1000000]
 * [--stepMs=10] [--concurrency=512]}; measure also {@code --ports=… --token=… [--requests=300]}
 */
public final class ListRunsBench {

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    Vertx vertx = BenchKit.vertx();
    Redis redis = BenchKit.redis(vertx, BenchKit.need(args, "redisUrl"));
    int runs = BenchKit.integer(args, "runs", 1_000_000);
    long stepMs = BenchKit.integer(args, "stepMs", 10);
    try {
      if ("seed".equals(args.get("mode"))) {
        seed(vertx, redis, args, runs, stepMs);
      } else {
        measure(vertx, redis, args, runs, stepMs);
      }
    } catch (RuntimeException e) {
      // the Vert.x threads would keep the JVM (and the calling script) alive after a failed main thread
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void seed(Vertx vertx, Redis redis, Map<String, String> args, int runs, long stepMs) {
    Partitions partitions = new Partitions(BenchKit.integer(args, "partitions", Partitions.DEFAULT));
    Keyspace keyspace = new Keyspace(BenchKit.need(args, "prefix"), partitions, BenchKit.need(args, "eventStream"));
    long end = System.currentTimeMillis();
    SteppingClock clock = new SteppingClock(end - runs * stepMs, stepMs);
    RedisRunStore store = BenchKit.await(RedisRunStore.create(vertx, redis, keyspace, clock));
    Ids ids = new Ids(Clock.systemUTC(), partitions);
    String workspace = BenchKit.need(args, "workspace");
    String orchestration = BenchKit.need(args, "orchestration");
    JsonObject input = new JsonObject().put("orderId", 42).put("amount", 99.5);
    long memBefore = usedMemory(redis);
    int concurrency = BenchKit.integer(args, "concurrency", 512);
    long t0 = System.nanoTime();
    Promise<Void> done = Promise.promise();
    int[] state = new int[2]; // sent, finished
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (state[0] < runs && state[0] - state[1] < concurrency) {
        state[0]++;
        store.create(new NewRun(ids.run(), workspace, orchestration, 1, "manual", null, input, null, null, "wait",
          null, null)).onComplete(ar -> {
            if (ar.failed()) {
              done.tryFail(ar.cause());
              return;
            }
            if (++state[1] == runs) {
              done.tryComplete();
            } else if (state[1] % 100_000 == 0) {
              BenchKit.out("seeded %d runs in %.1f s", state[1], (System.nanoTime() - t0) / 1e9);
            }
            pump[0].run();
          });
      }
    };
    vertx.runOnContext(v -> pump[0].run());
    BenchKit.await(done.future(), 3600);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long memAfter = usedMemory(redis);
    BenchKit.out("RESULT list-runs-seed partitions=%d runs=%d seconds=%.1f runs_per_s=%.0f used_memory_mib=%.0f "
      + "bytes_per_run=%.0f", partitions.count(), runs, seconds, runs / seconds, memAfter / 1048576.0,
      (memAfter - memBefore) / (double) runs);
  }

  private static void measure(Vertx vertx, Redis redis, Map<String, String> args, int runs, long stepMs) {
    Api api = new Api(vertx, BenchKit.ports(args), BenchKit.need(args, "workspace"), BenchKit.need(args, "token"), 4);
    String base = "/orchestrations/" + BenchKit.need(args, "orchestration") + "/runs?pageSize=20";
    int requests = BenchKit.integer(args, "requests", 300);
    String half = Instant.ofEpochMilli(System.currentTimeMillis() - runs * stepMs / 2).toString();
    List<String[]> queries = List.of(
      new String[] {"first-page", base},
      new String[] {"page-501(offset-10000)", base + "&page=501"},
      new String[] {"status=pending(all)", base + "&status=pending"},
      new String[] {"status=failed(none)", base + "&status=failed"},
      new String[] {"startedAfter(newest-half)", base + "&startedAfter=" + half},
      new String[] {"page-5001(offset-100000)", base + "&page=5001"});
    for (String[] q : queries) {
      int n = q[0].startsWith("page-5001") ? Math.max(20, requests / 10) : requests;
      for (int i = 0; i < 20; i++) {
        api.json(HttpMethod.GET, api.port(i), q[1], null).toCompletionStage().toCompletableFuture()
          .exceptionally(e -> null).join();
      }
      double cpu0 = redisCpuMs(redis);
      List<Long> micros = new ArrayList<>();
      long total = -1;
      int errors = 0;
      String firstError = "";
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        try {
          JsonObject page = BenchKit.await(api.json(HttpMethod.GET, api.port(i), q[1], null));
          total = page.getJsonObject("meta").getLong("total");
        } catch (IllegalStateException e) {
          // an error answer (e.g. 503 when the service's Redis reads exceed ORCH_STORE_TIMEOUT) counts with its time
          firstError = errors++ == 0 ? e.getMessage() : firstError;
        }
        micros.add((System.nanoTime() - t) / 1000);
      }
      double cpu = redisCpuMs(redis) - cpu0;
      long[] a = BenchKit.toArray(micros);
      java.util.Arrays.sort(a);
      BenchKit.out("RESULT list-runs query=%s requests=%d errors=%d total=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f "
        + "redis_cpu_ms_per_request=%.2f load=%s", q[0], n, errors, total, BenchKit.pct(a, 50) / 1000.0,
        BenchKit.pct(a, 99) / 1000.0, a[a.length - 1] / 1000.0, cpu / n, loadAverage());
      if (errors > 0) {
        BenchKit.out("first error: %s", firstError);
      }
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  private static long usedMemory(Redis redis) {
    String info = BenchKit.await(redis.send(Request.cmd(Command.INFO).arg("memory"))).toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring(12).trim());
      }
    }
    throw new IllegalStateException("no used_memory in INFO memory");
  }

  private static double redisCpuMs(Redis redis) {
    String info = BenchKit.await(redis.send(Request.cmd(Command.INFO).arg("cpu"))).toString();
    double ms = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        ms += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) * 1000;
      }
    }
    return ms;
  }

  /** A clock that moves {@code stepMs} on at every read: one startedAt per created run, spread evenly. */
  private static final class SteppingClock extends Clock {
    private final AtomicLong next;
    private final long stepMs;

    SteppingClock(long startMs, long stepMs) {
      this.next = new AtomicLong(startMs);
      this.stepMs = stepMs;
    }

    @Override
    public long millis() {
      return next.getAndAdd(stepMs);
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
