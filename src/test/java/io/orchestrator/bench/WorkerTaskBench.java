package io.orchestrator.bench;

import io.orchestrator.store.redis.RedisKeys;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Worker-task throughput and poll-to-task latency against a running service (bench/worker-tasks.sh starts one).
 *
 * <p>The driver registers a "worker" function and a one-step orchestration on it, then starts {@code --workers}
 * worker <b>processes</b> (this class with {@code --mode=worker}; {@code --inproc} runs them as separate Vert.x
 * instances in this JVM instead). Each worker long-polls in batches ({@code --max}, default 50) and completes every
 * task it receives; it prints one line per task received and completed, with wall-clock epoch microseconds (one
 * machine, one clock), which the driver reads from its stdout. Between phases the driver waits until the service
 * has archived every finished run to PostgreSQL.
 *
 * <ol>
 *   <li>warm-up: {@code --warmup} runs (default 2000), not measured;</li>
 *   <li>latency: the workers idle in long polls while the driver triggers {@code --rate} runs/s for
 *   {@code --seconds}; latency = worker received the task − driver sent the trigger request (so it includes the
 *   trigger, the engine claiming the run and queueing the task, the signal and the poll's claim);</li>
 *   <li>drain: {@code --backlog} runs are triggered and their tasks queued while the workers are held; then the
 *   workers start and the driver measures tasks completed/s until the queue is drained, and runs finished/s;</li>
 *   <li>saturation: {@code --concurrency} triggers in flight for {@code --seconds} while the workers drain: tasks
 *   completed/s end to end, and the same latency under that load.</li>
 * </ol>
 */
public final class WorkerTaskBench {

  private static final String BASE = "/orchestration/api/v1/workspaces/";

  private WorkerTaskBench() {
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = args(argv);
    if ("worker".equals(args.get("mode"))) {
      WorkerProcess.run(args);
    } else {
      new Driver(args).run();
    }
  }

  // ---- driver ---------------------------------------------------------------------------------------------------

  static final class Driver {

    private final Map<String, String> args;
    private final Vertx vertx = Vertx.vertx();
    private final WebClient http;
    private final int port;
    private final String workspace;
    private final String token;
    private final String queue = "bench";
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong lastCompletedMicros = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<Worker> workers = new ArrayList<>();
    private String orchestration;

    Driver(Map<String, String> args) {
      this.args = args;
      this.port = Integer.parseInt(need(args, "port"));
      this.workspace = need(args, "workspace");
      this.token = need(args, "token");
      this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(128));
    }

    void run() throws Exception {
      int workerCount = integer(args, "workers", 4);
      int max = integer(args, "max", 50);
      boolean inproc = args.containsKey("inproc");
      String function = post("/functions", new JsonObject().put("name", "bench worker").put("runtime", "worker")
        .put("queue", queue)).getString("id");
      orchestration = post("/orchestrations", new JsonObject().put("slug", "worker-bench").put("name", "worker bench")
        .put("trigger", new JsonObject().put("type", "on-demand")).put("steps", new JsonArray().add(new JsonObject()
          .put("id", "work").put("name", "work").put("type", "compute").put("functionId", function)))).getString("id");
      out("workers: %d %s, poll max=%d waitMs=%d", workerCount, inproc ? "pollers on separate Vert.x instances in the "
        + "driver JVM" : "processes", max, integer(args, "wait-ms", 1000));
      for (int i = 0; i < workerCount; i++) {
        workers.add(inproc ? new InprocWorker(i, this::onLine) : new ProcessWorker(i, this::onLine));
      }
      for (Worker w : workers) {
        w.awaitReady();
      }
      workers.forEach(Worker::go);
      warmUp(integer(args, "warmup", 2000));
      awaitArchived();
      latency(integer(args, "rate", 100), integer(args, "seconds", 10));
      awaitArchived();
      drain(integer(args, "backlog", 5000));
      awaitArchived();
      saturation(integer(args, "concurrency", 64), integer(args, "seconds", 10));
      workers.forEach(Worker::stop);
      out("errors (failed triggers / refused completions): %d", errors.get());
      vertx.close();
    }

    private void drain(int backlog) throws Exception {
      out("-- drain: %d tasks queued before the workers start", backlog);
      workers.forEach(Worker::hold);
      Thread.sleep(integer(args, "wait-ms", 1000) + 1_000L); // the polls in flight end, their tasks are completed
      long started = System.nanoTime();
      List<String> runs = triggerAll(backlog, 64);
      long depth = awaitQueueDepth(backlog);
      out("queued %d tasks in %.1f s (trigger + engine)", depth, (System.nanoTime() - started) / 1e9);
      long base = completed.get();
      long go = micros();
      workers.forEach(Worker::go);
      awaitCompleted(base + backlog, 300);
      long tasksDone = lastCompletedMicros.get();
      awaitRunsFinished(runs);
      long runsDone = micros();
      out("tasks completed/s: %.0f  (%d tasks in %.2f s)", backlog / ((tasksDone - go) / 1e6), backlog,
        (tasksDone - go) / 1e6);
      out("runs finished/s:   %.0f  (last run completed %.2f s after the workers started)",
        backlog / ((runsDone - go) / 1e6), (runsDone - go) / 1e6);
    }

    /** Runs {@code count} tasks through, unmeasured, so the JIT has compiled the paths the phases measure. */
    private void warmUp(int count) throws Exception {
      long started = System.nanoTime();
      long base = completed.get();
      List<String> runs = triggerAll(count, 16);
      awaitCompleted(base + runs.size(), 300);
      out("-- warm-up: %d runs in %.1f s (not measured)", runs.size(), (System.nanoTime() - started) / 1e9);
    }

    private void latency(int rate, int seconds) throws Exception {
      out("-- latency: %d runs/s for %d s, workers idle in long polls", rate, seconds);
      List<String> runs = new ArrayList<>();
      long base = completed.get();
      long start = System.nanoTime();
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      List<Future<String>> triggers = new ArrayList<>();
      for (long i = 0; i < (long) rate * seconds; i++) {
        long due = start + i * period;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        triggers.add(trigger());
      }
      for (Future<String> f : triggers) {
        runs.add(await(f, 60));
      }
      awaitCompleted(base + runs.size(), 120);
      report("poll-to-task latency", runs);
    }

    private void saturation(int concurrency, int seconds) throws Exception {
      out("-- saturation: %d triggers in flight for %d s while the workers drain", concurrency, seconds);
      long base = completed.get();
      long go = micros();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<String> runs = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch loops = new CountDownLatch(concurrency);
      for (int i = 0; i < concurrency; i++) {
        vertx.runOnContext(v -> triggerLoop(end, runs, loops));
      }
      loops.await(seconds + 60L, TimeUnit.SECONDS);
      long triggeredFor = micros() - go;
      awaitCompleted(base + runs.size(), 300);
      long done = lastCompletedMicros.get();
      out("triggered %d runs in %.2f s (%.0f/s); tasks completed/s: %.0f (%d in %.2f s, to the last completion)",
        runs.size(), triggeredFor / 1e6, runs.size() / (triggeredFor / 1e6), runs.size() / ((done - go) / 1e6),
        runs.size(), (done - go) / 1e6);
      report("trigger-to-task latency under saturation", runs);
    }

    private void triggerLoop(long end, List<String> runs, CountDownLatch loops) {
      if (System.nanoTime() >= end) {
        loops.countDown();
        return;
      }
      trigger().onSuccess(runs::add).onComplete(done -> triggerLoop(end, runs, loops));
    }

    private void report(String what, List<String> runs) {
      long[] ms = runs.stream().filter(received::containsKey)
        .mapToLong(r -> received.get(r) - sent.get(r)).sorted().toArray();
      out("%s, ms: n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f", what, ms.length, pct(ms, 50) / 1e3, pct(ms, 90) / 1e3,
        pct(ms, 99) / 1e3, ms.length == 0 ? -1 : ms[ms.length - 1] / 1e3);
    }

    private List<String> triggerAll(int count, int inFlight) {
      List<String> runs = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(inFlight);
      AtomicLong left = new AtomicLong(count);
      for (int i = 0; i < inFlight; i++) {
        vertx.runOnContext(v -> triggerN(left, runs, done));
      }
      try {
        done.await(300, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return runs;
    }

    private void triggerN(AtomicLong left, List<String> runs, CountDownLatch done) {
      if (left.getAndDecrement() <= 0) {
        done.countDown();
        return;
      }
      trigger().onSuccess(runs::add).onComplete(r -> triggerN(left, runs, done));
    }

    /** Triggers one run; records when the request was sent under the run id. */
    private Future<String> trigger() {
      long at = micros();
      return http.post(BASE + workspace + "/orchestrations/" + orchestration + "/trigger")
        .bearerTokenAuthentication(token).sendJsonObject(new JsonObject().put("input", new JsonObject().put("n", at)))
        .compose(r -> r.statusCode() == 201 ? Future.succeededFuture(r.bodyAsJsonObject().getString("id"))
          : Future.failedFuture("trigger → " + r.statusCode() + " " + r.bodyAsString()))
        .onSuccess(id -> sent.put(id, at))
        .onFailure(e -> errors.incrementAndGet());
    }

    private long awaitQueueDepth(long expected) throws Exception {
      Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(need(args, "redis")));
      // the queue has one zset per partition (FIFO within each): its depth is their sum
      BenchKeys keys = BenchKeys.read(redis, need(args, "prefix"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      long depth = 0;
      while (System.nanoTime() < deadline) {
        depth = await(keys.sum(redis, Command.ZCARD, p -> p.taskQueue(workspace, queue)), 10);
        if (depth >= expected) {
          break;
        }
        Thread.sleep(50);
      }
      redis.close();
      return depth;
    }

    /** Waits until the service has copied every finished run to PostgreSQL, so phases do not overlap that work. */
    private void awaitArchived() throws Exception {
      Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(need(args, "redis")));
      BenchKeys keys = BenchKeys.read(redis, need(args, "prefix"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && await(keys.sum(redis, Command.LLEN, RedisKeys::unarchived), 10) > 0) {
        Thread.sleep(100);
      }
      redis.close();
    }

    private void awaitCompleted(long count, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (completed.get() < count && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (completed.get() < count) {
        out("WARNING: only %d of %d tasks completed within %d s", completed.get(), count, seconds);
      }
    }

    private void awaitRunsFinished(List<String> runs) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      String path = BASE + workspace + "/orchestrations/" + orchestration + "/runs?pageSize=1&status=completed";
      while (System.nanoTime() < deadline) {
        JsonObject page = await(http.get(path).bearerTokenAuthentication(token).send(), 10).bodyAsJsonObject();
        if (page.getJsonObject("meta").getLong("total") >= runs.size()) {
          return;
        }
        Thread.sleep(5);
      }
      out("WARNING: not every drained run completed within 120 s");
    }

    private JsonObject post(String path, JsonObject body) {
      return await(http.post(BASE + workspace + path).bearerTokenAuthentication(token).sendJsonObject(body)
        .compose(r -> r.statusCode() / 100 == 2 ? Future.succeededFuture(r.bodyAsJsonObject())
          : Future.failedFuture(path + " → " + r.statusCode() + " " + r.bodyAsString())), 30);
    }

    /** A worker's line: "T runId micros" (received), "C runId micros" (completed) or "E message". */
    private void onLine(String line) {
      String[] p = line.split(" ", 3);
      switch (p[0]) {
        case "T" -> received.putIfAbsent(p[1], Long.parseLong(p[2]));
        case "C" -> {
          completed.incrementAndGet();
          lastCompletedMicros.accumulateAndGet(Long.parseLong(p[2]), Math::max);
        }
        case "E" -> {
          errors.incrementAndGet();
          System.err.println("worker: " + line);
        }
        default -> { }
      }
    }

    private String[] workerArgs(int id) {
      return new String[] {"--mode=worker", "--id=" + id, "--port=" + port, "--workspace=" + workspace,
        "--token=" + token, "--queue=" + queue, "--max=" + integer(args, "max", 50),
        "--wait-ms=" + integer(args, "wait-ms", 1000)};
    }

    interface Worker {
      void awaitReady() throws Exception;

      /** Starts (or resumes) polling. */
      void go();

      /** Stops polling after the poll in flight (and its completions). */
      void hold();

      void stop();
    }

    /** A worker in its own JVM; lines come from its stdout, commands go to its stdin. */
    final class ProcessWorker implements Worker {

      private final Process process;
      private final CountDownLatch ready = new CountDownLatch(1);

      ProcessWorker(int id, Consumer<String> sink) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx512m", "-cp",
          System.getProperty("java.class.path"), WorkerTaskBench.class.getName()));
        command.addAll(Arrays.asList(workerArgs(id)));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
          try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
              if (line.equals("READY")) {
                ready.countDown();
              } else if (line.startsWith("BYE")) {
                out("worker %d: %s", id, line);
              } else {
                sink.accept(line);
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, "worker-" + id + "-stdout");
        reader.setDaemon(true);
        reader.start();
      }

      @Override
      public void awaitReady() throws Exception {
        if (!ready.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("worker process did not start");
        }
      }

      @Override
      public void go() {
        command("GO");
      }

      @Override
      public void hold() {
        command("HOLD");
      }

      @Override
      public void stop() {
        command("STOP");
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        process.destroy();
      }

      private void command(String line) {
        try {
          process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
          process.getOutputStream().flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    /** A worker on its own Vert.x instance inside this JVM. */
    final class InprocWorker implements Worker {

      private final PollLoop loop;

      InprocWorker(int id, Consumer<String> sink) {
        loop = new PollLoop(Vertx.vertx(), args(workerArgs(id)), sink);
      }

      @Override
      public void awaitReady() {
      }

      @Override
      public void go() {
        loop.start();
      }

      @Override
      public void hold() {
        loop.hold();
      }

      @Override
      public void stop() {
        out("worker: %s", loop.stop());
      }
    }
  }

  // ---- worker ---------------------------------------------------------------------------------------------------

  /** The worker process: waits for GO on stdin, polls and completes until STOP (or end of input). */
  static final class WorkerProcess {

    static void run(Map<String, String> args) throws IOException {
      PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
      Object lock = new Object();
      Consumer<String> sink = line -> {
        synchronized (lock) {
          stdout.println(line);
        }
      };
      PollLoop loop = new PollLoop(Vertx.vertx(), args, line -> sink.accept(line)) {
        @Override
        void batchDone() {
          synchronized (lock) {
            stdout.flush();
          }
        }
      };
      sink.accept("READY");
      loop.batchDone();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("STOP")) {
        if (line.equals("GO")) {
          loop.start();
        } else if (line.equals("HOLD")) {
          loop.hold();
        }
      }
      sink.accept(loop.stop());
      loop.batchDone();
      System.exit(0);
    }
  }

  /** One worker: poll (max, waitMs) → complete every task of the batch in parallel → poll again. */
  static class PollLoop {

    private final Vertx vertx;
    private final Context context;
    private final WebClient http;
    private final String base;
    private final String token;
    private final JsonObject poll;
    private final Consumer<String> sink;
    private boolean running;
    private boolean looping;
    private long polls;
    private long empty;
    private long tasks;

    PollLoop(Vertx vertx, Map<String, String> args, Consumer<String> sink) {
      this.vertx = vertx;
      this.context = vertx.getOrCreateContext();
      this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(Integer.parseInt(need(args, "port"))).setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(64));
      this.base = BASE + need(args, "workspace") + "/worker-tasks";
      this.token = need(args, "token");
      this.poll = new JsonObject().put("queue", need(args, "queue")).put("max", integer(args, "max", 50))
        .put("waitMs", integer(args, "wait-ms", 1000));
      this.sink = sink;
    }

    void start() {
      context.runOnContext(v -> {
        running = true;
        if (!looping) {
          looping = true;
          next();
        }
      });
    }

    /** The loop ends after the poll in flight; a task that poll returns is still completed. */
    void hold() {
      context.runOnContext(v -> running = false);
    }

    String stop() {
      hold();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing is best effort at the end of the bench
      }
      return String.format(Locale.ROOT, "BYE polls=%d empty=%d tasks=%d", polls, empty, tasks);
    }

    void batchDone() {
    }

    private void next() {
      if (!running) {
        looping = false;
        return;
      }
      http.post(base + "/poll").bearerTokenAuthentication(token).timeout(60_000).sendJsonObject(poll)
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsJsonObject().getJsonArray("tasks"))
          : Future.failedFuture("poll → " + r.statusCode() + " " + r.bodyAsString()))
        .compose(this::completeAll)
        .onComplete(done -> {
          if (!running) {
            looping = false;
            return;
          }
          if (done.failed()) {
            sink.accept("E " + done.cause().getMessage());
            batchDone();
            vertx.setTimer(100, id -> next());
          } else {
            next();
          }
        });
    }

    private Future<Void> completeAll(JsonArray batch) {
      polls++;
      if (batch.isEmpty()) {
        empty++;
        return Future.succeededFuture();
      }
      long at = micros();
      List<Future<Void>> reports = new ArrayList<>();
      for (Object o : batch) {
        JsonObject task = (JsonObject) o;
        tasks++;
        String runId = task.getString("runId");
        sink.accept("T " + runId + " " + at);
        reports.add(http.post(base + "/" + task.getString("taskId") + "/complete").bearerTokenAuthentication(token)
          .sendJsonObject(new JsonObject().put("output", new JsonObject().put("ok", true)))
          .compose(r -> {
            sink.accept(r.statusCode() == 200 ? "C " + runId + " " + micros()
              : "E complete " + runId + " → " + r.statusCode() + " " + r.bodyAsString());
            return Future.<Void>succeededFuture();
          }));
      }
      Promise<Void> all = Promise.promise();
      Future.join(reports).onComplete(v -> {
        batchDone();
        all.complete();
      });
      return all.future();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static Map<String, String> args(String[] argv) {
    Map<String, String> map = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      map.put(a.substring(2, eq < 0 ? a.length() : eq), eq < 0 ? "true" : a.substring(eq + 1));
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

  static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }

  static void out(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
