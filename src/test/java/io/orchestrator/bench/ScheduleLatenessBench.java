package io.orchestrator.bench;

import io.orchestrator.common.Partitions;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ScratchDatabase;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.store.redis.Keyspace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Firing lateness of the scheduler with many active schedules: registers {@code SCHEDULES} (default 10,000)
 * interval schedules through the API, with periods spread over 20-40 s so fires are staggered (~330 fires/s at
 * 10,000), lets one instance with the roles {@code ROLES} (default {@code api,worker,scheduler}: the runs are also
 * executed) run them for {@code MEASURE_SECONDS} (default 60), then reads every run back through List Runs and
 * prints lateness = run startedAt - scheduledFor, split into claim (firedAt - scheduledFor) and start (startedAt -
 * firedAt). {@code CSV=<path>} also writes every fire. Uses a scratch PostgreSQL database and its own Redis prefix,
 * both removed at the end. Run it with {@code bench/schedule-lateness.sh}.
 */
public final class ScheduleLatenessBench {

  private static final int CONCURRENCY = 64;
  private static final long MIN_PERIOD_MS = 20_000;
  private static final long PERIOD_SPREAD_MS = 20_000;

  private ScheduleLatenessBench() {
  }

  public static void main(String[] args) {
    int schedules = Integer.parseInt(System.getenv().getOrDefault("SCHEDULES", "10000"));
    int measureSeconds = Integer.parseInt(System.getenv().getOrDefault("MEASURE_SECONDS", "60"));
    Vertx vertx = Vertx.vertx();
    ScratchDatabase database = ScratchDatabase.create(vertx, "bench_sched");
    String prefix = "bench" + UUID.randomUUID().toString().substring(0, 8);
    int exit = 0;
    try {
      run(schedules, measureSeconds, database, prefix);
    } catch (Exception e) {
      e.printStackTrace();
      exit = 1;
    } finally {
      deleteKeys(vertx, prefix);
      database.close();
      TestApp.await(vertx.close());
    }
    // An instance that failed to stop must not keep the JVM alive.
    System.exit(exit);
  }

  private static void run(int schedules, int measureSeconds, ScratchDatabase database, String prefix)
      throws Exception {
    String ws = TestApp.randomWorkspace();
    List<JsonObject> created;
    Instant from;
    Instant to;
    String roles = System.getenv().getOrDefault("ROLES", "api,worker,scheduler");
    System.out.printf("%d schedules, instance roles %s, %d CPUs%n", schedules, roles,
      Runtime.getRuntime().availableProcessors());
    try (TestApp app = TestApp.start(Map.of("ORCH_PG_URL", database.url, "ORCH_REDIS_PREFIX", prefix,
      "ORCH_PG_POOL_SIZE", "16", "ORCH_HTTP_INSTANCES", "2", "ORCH_ROLES", roles))) {
      long t0 = System.currentTimeMillis();
      created = forAll(schedules, i -> app.client(ws).post("/orchestrations", body(i)), 201);
      long registered = System.currentTimeMillis();
      System.out.printf("registered %d schedules in %.1f s%n", created.size(), (registered - t0) / 1000.0);
      from = Instant.ofEpochMilli(registered + 5_000);
      Thread.sleep(5_000 + measureSeconds * 1000L);
      to = Instant.now().minusMillis(2_000);
    }
    // Read back through an API-only instance, so no fire is in flight while the runs are listed.
    try (TestApp reader = TestApp.start(Map.of("ORCH_PG_URL", database.url, "ORCH_REDIS_PREFIX", prefix,
      "ORCH_ROLES", "api", "ORCH_PG_POOL_SIZE", "16"))) {
      List<JsonObject> lists = forAll(created.size(), i -> reader.client(ws)
        .get("/orchestrations/" + created.get(i).getString("id") + "/runs?pageSize=100"), 200);
      report(created, lists, from, to, measureSeconds);
    }
  }

  private static JsonObject body(int i) {
    long period = MIN_PERIOD_MS + (i * 7919L) % PERIOD_SPREAD_MS;
    return new JsonObject().put("slug", "bench-" + i).put("name", "Bench " + i)
      .put("trigger", new JsonObject().put("type", "scheduled").put("scheduleType", "interval")
        .put("interval", period).put("misfirePolicy", "fire-once"))
      .put("steps", new JsonArray().add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 0)));
  }

  /** Runs {@code call} for 0..n-1 on CONCURRENCY threads; every reply must have {@code status}. */
  private static List<JsonObject> forAll(int n, Function<Integer, ApiClient.Reply> call, int status)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<java.util.concurrent.Future<JsonObject>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        results.add(pool.submit(() -> {
          ApiClient.Reply reply = call.apply(index);
          if (reply.status() != status) {
            throw new IllegalStateException("HTTP " + reply.status() + ": " + reply.body());
          }
          return reply.json();
        }));
      }
      List<JsonObject> replies = new ArrayList<>();
      for (java.util.concurrent.Future<JsonObject> result : results) {
        replies.add(result.get());
      }
      return replies;
    } finally {
      pool.shutdown();
    }
  }

  private static void report(List<JsonObject> created, List<JsonObject> lists, Instant from, Instant to,
                             int measureSeconds) {
    List<Long> lateness = new ArrayList<>();
    List<Long> claimLateness = new ArrayList<>();
    List<Long> startLatency = new ArrayList<>();
    StringBuilder csv = new StringBuilder("scheduledFor,firedAt,startedAt\n");
    long expected = 0;
    long covered = 0;
    long misfires = 0;
    long duplicates = 0;
    for (int i = 0; i < created.size(); i++) {
      long anchor = Instant.parse(created.get(i).getString("updatedAt")).toEpochMilli();
      long period = created.get(i).getJsonObject("trigger").getLong("interval");
      for (long at = anchor + period; at <= to.toEpochMilli(); at += period) {
        expected += at >= from.toEpochMilli() ? 1 : 0;
      }
      Set<String> seen = new HashSet<>();
      for (Object o : lists.get(i).getJsonArray("data")) {
        JsonObject run = (JsonObject) o;
        JsonObject meta = run.getJsonObject("triggerMetadata");
        Instant scheduledFor = Instant.parse(meta.getString("scheduledFor"));
        duplicates += seen.add(meta.getString("scheduledFor")) ? 0 : 1;
        if (scheduledFor.isBefore(from) || scheduledFor.isAfter(to)) {
          continue;
        }
        covered += 1 + meta.getInteger("missedCount");
        misfires += meta.getInteger("missedCount") > 0 ? 1 : 0;
        long fired = Instant.parse(meta.getString("firedAt")).toEpochMilli();
        long started = Instant.parse(run.getString("startedAt")).toEpochMilli();
        lateness.add(started - scheduledFor.toEpochMilli());
        claimLateness.add(fired - scheduledFor.toEpochMilli());
        startLatency.add(started - fired);
        csv.append(scheduledFor.toEpochMilli()).append(',').append(fired).append(',').append(started).append('\n');
      }
    }
    String csvPath = System.getenv("CSV");
    if (csvPath != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(csvPath), csv);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    long[] sorted = sorted(lateness);
    System.out.printf("%d active schedules, interval 20-40 s, measured %d s: %d fires expected, %d runs "
        + "(covering %d fires), %d misfired, %d duplicate runs%n", created.size(), measureSeconds, expected,
      sorted.length, covered, misfires, duplicates);
    System.out.println("firing lateness (run startedAt - scheduledFor): " + percentiles(sorted));
    System.out.println("  of which claim (triggerMetadata.firedAt - scheduledFor): "
      + percentiles(sorted(claimLateness)));
    System.out.println("  of which start (startedAt - firedAt): " + percentiles(sorted(startLatency)));
  }

  private static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static String percentiles(long[] sorted) {
    return String.format("p50 %d ms, p90 %d ms, p99 %d ms, p99.9 %d ms, max %d ms", pct(sorted, 50),
      pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static void deleteKeys(Vertx vertx, String prefix) {
    Redis redis = Redis.createClient(vertx, TestStores.redisUrl());
    String cursor = "0";
    do {
      Response page = TestApp.await(redis.send(Request.cmd(Command.SCAN).arg(cursor)
        .arg("MATCH").arg(new Keyspace(prefix, new Partitions(1)).keyPattern()).arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      if (page.get(1).size() > 0) {
        Request unlink = Request.cmd(Command.UNLINK);
        page.get(1).forEach(key -> unlink.arg(key.toString()));
        TestApp.await(redis.send(unlink));
      }
    } while (!"0".equals(cursor));
    redis.close();
  }
}
