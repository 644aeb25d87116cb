package io.orchestrator.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shared pieces of the load generators: {@code --key=value} arguments, percentiles by sorting, an async client for
 * one workspace of one or more service instances, and a Redis client for reading run hashes directly.
 */
final class BenchKit {

  static final String BASE = "/orchestration/api/v1/workspaces/";
  /** Random per load-generator process: several of them (bench/peer-bullmq.sh's rounds) share one workspace. */
  private static final String TAG = Long.toString(new java.security.SecureRandom().nextLong() >>> 34, 36);

  private BenchKit() {
  }

  /** {@code slug} made unique to this process, for an orchestration in a workspace other processes use too. */
  static String unique(String slug) {
    return slug + "-" + TAG;
  }

  /**
   * Runs a load generator's {@code body} and ends the JVM (its Vert.x threads would keep it alive): exit 0, or exit 1
   * after printing what {@code body} threw.
   */
  static void main(Runnable body) {
    try {
      body.run();
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** {@code --key=value} pairs; a bare {@code --flag} maps to "true". */
  static Map<String, String> args(String[] argv) {
    Map<String, String> map = new HashMap<>();
    for (String a : argv) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("arguments look like --key=value, got " + a);
      }
      int eq = a.indexOf('=');
      if (eq < 0) {
        map.put(a.substring(2), "true");
      } else {
        map.put(a.substring(2, eq), a.substring(eq + 1));
      }
    }
    return map;
  }

  static String need(Map<String, String> args, String key) {
    String value = args.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing --" + key + "=…");
    }
    return value;
  }

  static int integer(Map<String, String> args, String key, int fallback) {
    return args.containsKey(key) ? Integer.parseInt(args.get(key)) : fallback;
  }

  static List<Integer> ports(Map<String, String> args) {
    return Arrays.stream(need(args, "ports").split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  static <T> T await(Future<T> future) {
    return await(future, 600);
  }

  static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  /** Nearest-rank percentile of an ascending array. */
  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** "n=… min=… p50=… p90=… p99=… p99.9=… max=…" of {@code values} (sorted in place). */
  static String summary(long[] values) {
    Arrays.sort(values);
    if (values.length == 0) {
      return "n=0";
    }
    return String.format(Locale.ROOT, "n=%d min=%d p50=%d p90=%d p99=%d p99.9=%d max=%d", values.length,
      values[0], pct(values, 50), pct(values, 90), pct(values, 99), pct(values, 99.9), values[values.length - 1]);
  }

  static long[] toArray(List<Long> list) {
    long[] a = new long[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }

  static void out(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  /** A Vert.x for a load generator: no blocked-thread warnings (a starved 2-core host trips them harmlessly). */
  static Vertx vertx() {
    return Vertx.vertx(new io.vertx.core.VertxOptions().setBlockedThreadCheckInterval(60_000)
      .setMaxEventLoopExecuteTime(60).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
  }

  static Redis redis(Vertx vertx, String url) {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(8)
      .setMaxPoolWaiting(100_000).setMaxWaitingHandlers(100_000));
  }

  /** One workspace on one or more instances (requests spread round-robin over {@code ports}). */
  static final class Api {

    final WebClient http;
    final List<Integer> ports;
    final String workspace;
    private final String authorization;

    Api(Vertx vertx, List<Integer> ports, String workspace, String token, int poolPerPort) {
      this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(true)
        .setTcpNoDelay(true).setUserAgent("orchestrator-bench"), new PoolOptions().setHttp1MaxSize(poolPerPort));
      this.ports = ports;
      this.workspace = workspace;
      this.authorization = "Bearer " + token;
    }

    /**
     * A {@link LeanHttp} for the trigger requests of a load generator, which sends them by the thousand; to be used
     * from one context only.
     */
    LeanHttp leanClient(Vertx vertx) {
      return new LeanHttp(vertx, authorization);
    }

    /** The path of an API call in this workspace. */
    String path(String path) {
      return BASE + workspace + path;
    }

    int port(long i) {
      return ports.get((int) (i % ports.size()));
    }

    Future<HttpResponse<Buffer>> send(HttpMethod method, int port, String path, Buffer body) {
      HttpRequest<Buffer> request = http.request(method, port, "127.0.0.1", path(path))
        .putHeader("Authorization", authorization);
      if (body == null) {
        return request.send();
      }
      return request.putHeader("Content-Type", "application/json").sendBuffer(body);
    }

    /** The JSON body of a 2xx answer; anything else fails with status and body. */
    Future<JsonObject> json(HttpMethod method, int port, String path, JsonObject body) {
      return send(method, port, path, body == null ? null : body.toBuffer()).compose(r -> r.statusCode() / 100 == 2
        ? Future.succeededFuture(r.bodyAsJsonObject())
        : Future.failedFuture(method + " " + path + " -> " + r.statusCode() + " " + r.bodyAsString()));
    }

    String createFunction(String name, String url) {
      return await(json(HttpMethod.POST, port(0), "/functions", new JsonObject().put("name", name).put("url", url)
        .put("timeoutMs", 30_000))).getString("id");
    }

    String createOrchestration(String slug, JsonArray steps) {
      JsonObject body = new JsonObject().put("slug", slug).put("name", slug)
        .put("trigger", new JsonObject().put("type", "on-demand")).put("steps", steps);
      return await(json(HttpMethod.POST, port(0), "/orchestrations", body)).getString("id");
    }

    /** The {@code meta.total} of List Runs for one status (pageSize 1). */
    Future<Long> countRuns(int port, String orchestrationId, String status) {
      return json(HttpMethod.GET, port, "/orchestrations/" + orchestrationId + "/runs?pageSize=1&status=" + status,
        null).map(page -> page.getJsonObject("meta").getLong("total"));
    }

    Future<JsonObject> run(int port, String orchestrationId, String runId) {
      return json(HttpMethod.GET, port, "/orchestrations/" + orchestrationId + "/runs/" + runId, null);
    }
  }

  /** Step builders. */
  static JsonObject compute(String id, String functionId, String next) {
    JsonObject step = new JsonObject().put("id", id).put("type", "compute").put("functionId", functionId);
    return next == null ? step : step.put("nextStepId", next);
  }

  static JsonObject delay(String id, long delayMs, String next) {
    JsonObject step = new JsonObject().put("id", id).put("type", "delay").put("delayMs", delayMs);
    return next == null ? step : step.put("nextStepId", next);
  }

  static JsonObject decisionOkThen(String id, String path, String next) {
    return new JsonObject().put("id", id).put("type", "decision").put("cases", new JsonArray().add(new JsonObject()
      .put("conditions", new JsonArray().add(new JsonObject().put("path", path).put("op", "eq").put("value", true)))
      .put("nextStepId", next)));
  }

  /**
   * CPU seconds of named process groups from /proc (Linux), for "CPU per run" figures: {@code --cpuPids=
   * service1:123,redis:45,postgres:67+68} (a group sums its pids; processes that are gone count 0).
   */
  static final class CpuProbe {
    private final Map<String, String> groups = new java.util.LinkedHashMap<>();

    /** @param spec comma-separated {@code name:pid[+pid…]} or {@code name:@command} (every live process so named) */
    CpuProbe(String spec) {
      if (spec == null || spec.isBlank()) {
        return;
      }
      for (String group : spec.split(",")) {
        String[] kv = group.split(":", 2);
        groups.put(kv[0], kv[1]);
      }
    }

    /** group → pid → CPU seconds so far. */
    Map<String, Map<Long, Double>> snapshot() {
      Map<String, Map<Long, Double>> out = new java.util.LinkedHashMap<>();
      groups.forEach((name, spec) -> {
        Map<Long, Double> pids = new HashMap<>();
        for (long pid : pids(spec)) {
          double s = seconds(pid);
          if (s >= 0) {
            pids.put(pid, s);
          }
        }
        out.put(name, pids);
      });
      return out;
    }

    /**
     * "name=x.xx …" CPU ms per run between two snapshots: per process, after − before (a process started meanwhile
     * counts whole; one that exited meanwhile is lost, e.g. a short-lived PostgreSQL backend).
     */
    static String perRun(Map<String, Map<Long, Double>> before, Map<String, Map<Long, Double>> after, long runs) {
      StringBuilder out = new StringBuilder();
      double total = 0;
      for (var group : after.entrySet()) {
        Map<Long, Double> was = before.getOrDefault(group.getKey(), Map.of());
        double seconds = 0;
        for (var pid : group.getValue().entrySet()) {
          seconds += pid.getValue() - was.getOrDefault(pid.getKey(), 0.0);
        }
        double ms = seconds * 1000 / Math.max(1, runs);
        total += ms;
        out.append(String.format(Locale.ROOT, "%s=%.2f ", group.getKey(), ms));
      }
      return out.append(String.format(Locale.ROOT, "(sum %.2f)", total)).toString();
    }

    private static List<Long> pids(String spec) {
      if (!spec.startsWith("@")) {
        return Arrays.stream(spec.split("\\+")).filter(p -> !p.isBlank()).map(Long::parseLong).toList();
      }
      String command = spec.substring(1);
      List<Long> found = new ArrayList<>();
      java.io.File[] entries = new java.io.File("/proc").listFiles();
      for (java.io.File dir : entries == null ? new java.io.File[0] : entries) {
        if (dir.getName().chars().allMatch(Character::isDigit)) {
          try {
            if (java.nio.file.Files.readString(dir.toPath().resolve("comm")).trim().equals(command)) {
              found.add(Long.parseLong(dir.getName()));
            }
          } catch (Exception e) {
            // gone meanwhile
          }
        }
      }
      return found;
    }

    /** The pids of the groups whose name starts with {@code prefix}, e.g. "service". */
    List<Long> pidsOf(String prefix) {
      List<Long> out = new ArrayList<>();
      groups.forEach((name, spec) -> {
        if (name.startsWith(prefix)) {
          out.addAll(pids(spec));
        }
      });
      return out;
    }

    /**
     * CPU seconds so far of the JIT compiler threads (HotSpot names them "C1 CompilerThreadN" and "C2 CompilerThreadN",
     * cut to 15 characters in /proc) of the given JVMs; threads that are gone count 0.
     */
    static double jitSeconds(List<Long> pids) {
      double total = 0;
      for (long pid : pids) {
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
          try {
            if (java.nio.file.Files.readString(task.toPath().resolve("comm")).contains("CompilerThre")) {
              total += ticksToSeconds(java.nio.file.Files.readString(task.toPath().resolve("stat")));
            }
          } catch (Exception e) {
            // thread gone meanwhile
          }
        }
      }
      return total;
    }

    /** utime + stime of a process in seconds; -1 when it is gone. */
    private static double seconds(long pid) {
      try {
        return ticksToSeconds(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat")));
      } catch (Exception e) {
        return -1;
      }
    }

    /** utime + stime of a /proc stat line (process or thread), in seconds (clock ticks of 10 ms). */
    private static double ticksToSeconds(String stat) {
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }
  }

  /**
   * Polls List Runs (completed + failed) of the orchestrations every {@code pollMs} until {@code expected} runs
   * finished; returns how many of them failed (printing a warning when any did).
   */
  static long waitFinished(Api api, List<String> orchestrations, long expected, long timeoutMs, long pollMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      List<Future<Long>> counts = new ArrayList<>();
      int i = 0;
      for (String o : orchestrations) {
        counts.add(api.countRuns(api.port(i++), o, "completed"));
        counts.add(api.countRuns(api.port(i++), o, "failed"));
      }
      await(Future.all(counts));
      long done = 0;
      long failed = 0;
      for (int k = 0; k < counts.size(); k++) {
        done += counts.get(k).result();
        failed += k % 2 == 1 ? counts.get(k).result() : 0;
      }
      if (done >= expected) {
        if (failed > 0) {
          out("WARNING: %d runs failed", failed);
        }
        return failed;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("only " + done + " of " + expected + " runs finished in time");
      }
      try {
        Thread.sleep(pollMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Splits {@code list} into chunks of at most {@code size}. */
  static <T> List<List<T>> chunks(List<T> list, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      out.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return out;
  }

  /** Sleeps {@code ms}; an interrupt stops the bench. */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
