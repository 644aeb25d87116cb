package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.store.redis.RedisKeys;
import io.orchestrator.store.redis.StatusBands;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wake-up lateness of delay steps, measured directly per run.
 *
 * <p>The due time of a wake-up is the one the service itself computed (park time + delayMs): the claim script
 * records it in the run hash as {@code dueAt} (the score the run had in the timer queue), which this bench reads
 * straight from Redis. Lateness is then
 * <ul>
 *   <li>{@code steady}: orchestration delay(delayMs) → compute(no-op). Runs are triggered open-loop at
 *   {@code rate}/s for {@code seconds}. Lateness = arrival of the compute step's call at the bench's function server
 *   (its clock, same host) − dueAt, i.e. when the next step actually started. completedAt − dueAt is printed too.</li>
 *   <li>{@code burst}: {@code runs} runs whose wake-ups all fall due within one {@code windowMs} window. A delay is
 *   fixed per orchestration, so the bench creates one single-step delay orchestration per {@code slotMs} slot with
 *   delayMs = L − k·slotMs (L = spreadSeconds + marginMs) and, while triggering over {@code spreadSeconds}, sends
 *   each trigger to the orchestration that makes it due at T0 + (time within the slot) + j·slotMs, j random in
 *   0..windowMs/slotMs−1 (integer division) — i.e. uniformly over [T0, T0 + ⌊windowMs/slotMs⌋·slotMs). The delay
 *   starts when a worker executes the step, a few to tens of ms after the trigger was sent, which shifts every due
 *   time later by that lag: the default slotMs of 225 ms picks over [T0, T0 + 900 ms) and leaves 100 ms of the
 *   window for it. Lateness = completedAt − dueAt (waking the run
 *   completes it, no further step). The actual spread of dueAt around T0 is printed, and the service's own
 *   {@code orchestrator_wakeup_lateness_seconds} histogram (claim time − dueAt) is diffed across the burst. With
 *   {@code --functionUrl} (a standalone {@link NoopFunctionServer}, shared) each delay is followed by a compute step
 *   on that server, and lateness = arrival of that call, as the server recorded it, − dueAt.</li>
 * </ul>
 *
 * <p>{@code --mode=steady|burst --ports=… --token=… --workspace=… --redisUrl=… --redisPrefix=…} and for steady
 * {@code [--rate=500] [--seconds=20] [--delayMs=2000] [--warmupSeconds=20]}, for burst {@code [--runs=100000]
 * [--spreadSeconds=120] [--slotMs=225] [--windowMs=1000] [--marginMs=3000] [--maxBacklog=200] [--concurrency=128]
 * [--functionUrl=http://127.0.0.1:PORT/noop] [--cpuPids=service:PID,redis:PID,…] [--warmup=20000]}.
 */
public final class DelayBench {

  private static final Buffer BODY = Buffer.buffer("{\"input\":{\"orderId\":42}}");

  public static void main(String[] argv) {
    BenchKit.main(() -> run(BenchKit.args(argv)));
  }

  private static void run(Map<String, String> args) {
    Vertx vertx = BenchKit.vertx();
    Api api = new Api(vertx, BenchKit.ports(args), BenchKit.need(args, "workspace"), BenchKit.need(args, "token"),
      512);
    Redis redis = BenchKit.redis(vertx, BenchKit.need(args, "redisUrl"));
    BenchKeys keys = BenchKeys.read(redis, BenchKit.need(args, "redisPrefix"));
    BenchKit.out("service keyspace: %s", keys.layout());
    String mode = args.getOrDefault("mode", "steady");
    if (mode.equals("steady")) {
      steady(vertx, api, redis, keys, args);
    } else {
      burst(vertx, api, redis, keys, args);
    }
  }

  private static void steady(Vertx vertx, Api api, Redis redis, BenchKeys keys, Map<String, String> args) {
    int rate = BenchKit.integer(args, "rate", 500);
    int seconds = BenchKit.integer(args, "seconds", 20);
    long delayMs = BenchKit.integer(args, "delayMs", 2000);
    int warmupSeconds = BenchKit.integer(args, "warmupSeconds", 20);
    NoopFunctionServer fn = NoopFunctionServer.start(vertx, 1, true);
    String functionId = api.createFunction("noop", fn.url());
    String warm = api.createOrchestration(BenchKit.unique("delay-warmup"), new JsonArray()
      .add(BenchKit.delay("wait", 200, "call")).add(BenchKit.compute("call", functionId, null)));
    String measured = api.createOrchestration(BenchKit.unique("delay-steady"), new JsonArray()
      .add(BenchKit.delay("wait", delayMs, "call")).add(BenchKit.compute("call", functionId, null)));
    BenchKit.out("setup: delay(%d ms) -> compute(no-op at %s); %d runs/s for %d s (warm-up: delay 200 ms, %d s)",
      delayMs, fn.url(), rate, seconds, warmupSeconds);
    if (warmupSeconds > 0) {
      Paced w = new Paced(vertx, api, rate, rate * warmupSeconds, 1024, i -> warm);
      BenchKit.await(w.start());
      BenchKit.waitFinished(api, List.of(warm), w.accepted, 60_000, 100);
      BenchKit.out("warm-up: %d runs done", w.accepted);
    }
    Paced m = new Paced(vertx, api, rate, rate * seconds, 1024, i -> measured);
    BenchKit.await(m.start());
    BenchKit.out("triggered %d runs (%d rejected) in %.1f s: %.0f/s (max %d trigger requests in flight)",
      m.accepted, m.rejected, m.sendNs / 1e9, m.accepted * 1e9 / m.sendNs, m.maxInFlightSeen);
    BenchKit.waitFinished(api, List.of(measured), m.accepted, delayMs + 120_000, 100);
    List<String> ids = m.ids();
    List<long[]> rows = readRuns(redis, keys, ids);
    List<Long> stepLate = new ArrayList<>();
    List<Long> completeLate = new ArrayList<>();
    int missing = 0;
    for (int i = 0; i < ids.size(); i++) {
      long[] r = rows.get(i);
      Long arrival = fn.arrivals.get(ids.get(i));
      if (r == null || arrival == null || r[1] == 0) {
        missing++;
        continue;
      }
      stepLate.add(arrival - r[0]);
      completeLate.add(r[1] - r[0]);
    }
    long[] late = BenchKit.toArray(stepLate);
    BenchKit.out("lateness ms (compute call arrival - dueAt): %s", BenchKit.summary(late));
    BenchKit.out("lateness ms (completedAt - dueAt):          %s", BenchKit.summary(BenchKit.toArray(completeLate)));
    if (missing > 0) {
      BenchKit.out("WARNING: %d runs without a due time, completion or function call", missing);
    }
    BenchKit.out("RESULT delay-steady rate=%d seconds=%d delay_ms=%d runs=%d p50_ms=%d p99_ms=%d max_ms=%d", rate,
      seconds, delayMs, late.length, BenchKit.pct(late, 50), BenchKit.pct(late, 99),
      late.length == 0 ? -1 : late[late.length - 1]);
  }

  private static void burst(Vertx vertx, Api api, Redis redis, BenchKeys keys, Map<String, String> args) {
    int runs = BenchKit.integer(args, "runs", 100_000);
    int spreadSeconds = BenchKit.integer(args, "spreadSeconds", 120);
    int maxBacklog = BenchKit.integer(args, "maxBacklog", 200);
    int slotMs = BenchKit.integer(args, "slotMs", 225);
    int windowMs = BenchKit.integer(args, "windowMs", 1000);
    int marginMs = BenchKit.integer(args, "marginMs", 3000);
    // --functionUrl: a compute step on that (shared) server after each delay; lateness = arrival of its call - dueAt
    String functionUrl = args.get("functionUrl");
    String functionId = functionUrl == null ? null
      : api.createFunction("noop", NoopFunctionServer.recordUrl(functionUrl));
    BenchKit.CpuProbe cpu = new BenchKit.CpuProbe(args.get("cpuPids"));
    warmUp(vertx, api, redis, keys, BenchKit.integer(args, "warmup", 20_000));
    int slots = spreadSeconds * 1000 / slotMs;
    int shifts = windowMs / slotMs;
    long lead = spreadSeconds * 1000L + marginMs;
    // orchestration m has delay lead - (m - (shifts - 1)) * slotMs; m = slot - j + shifts - 1, j in 0..shifts-1
    List<String> orchestrations = new ArrayList<>();
    for (int m = 0; m < slots + shifts - 1; m++) {
      long delay = lead - (long) (m - (shifts - 1)) * slotMs;
      orchestrations.add(api.createOrchestration(BenchKit.unique("burst-" + m), functionId == null
        ? new JsonArray().add(BenchKit.delay("wait", delay, null))
        : new JsonArray().add(BenchKit.delay("wait", delay, "call")).add(BenchKit.compute("call", functionId, null))));
    }
    BenchKit.out("setup: %d %s orchestrations (delays %d..%d ms); %d runs over %d s, due in a %d ms "
        + "window starting %d ms after the first trigger", orchestrations.size(),
      functionId == null ? "one-step delay" : "delay -> compute (" + functionUrl + ")", lead - (long) slots * slotMs,
      lead + (long) (shifts - 1) * slotMs, runs, spreadSeconds, windowMs, lead);
    long[] startMs = new long[1];
    IntFunction<String> pick = i -> {
      long r = System.currentTimeMillis() - startMs[0];
      int slot = (int) (r / slotMs);
      if (slot >= slots) {
        return null;
      }
      int j = ThreadLocalRandom.current().nextInt(shifts);
      return orchestrations.get(slot - j + shifts - 1);
    };
    Paced p = new Paced(vertx, api, 1e9, runs, BenchKit.integer(args, "concurrency", 128), pick)
      .limitBacklog(redis, keys, maxBacklog);
    Map<String, Map<Long, Double>> cpuBefore = cpu.snapshot();
    startMs[0] = System.currentTimeMillis();
    BenchKit.await(p.start(startMs));
    long t0 = startMs[0] + lead;
    BenchKit.out("triggered %d runs (%d rejected, %d not sent: out of time) in %.1f s (%.0f/s, paced to keep at most "
        + "%d runs waiting to be claimed); T0 = first trigger + %d ms", p.accepted, p.rejected,
      runs - p.accepted - p.rejected, p.sendNs / 1e9, p.accepted * 1e9 / p.sendNs, maxBacklog, lead);
    sleepUntil(t0 - 500);
    BenchKit.out("at T0-500ms: %s", queues(redis, keys));
    Map<Double, Double> before = metrics(api);
    sleepUntil(t0 + windowMs);
    long waitStart = System.currentTimeMillis();
    waitFinishedInRedis(redis, keys, api.workspace, orchestrations, p.accepted, 300_000);
    long allDone = System.currentTimeMillis();
    Map<String, Map<Long, Double>> cpuAfter = cpu.snapshot();
    Map<Double, Double> after = metrics(api);
    List<String> ids = p.ids();
    List<long[]> rows = readRuns(redis, keys, ids);
    Map<String, Long> arrivals = functionId == null ? null : NoopFunctionServer.fetchArrivals(vertx, functionUrl);
    List<Long> late = new ArrayList<>();
    List<Long> completionLate = new ArrayList<>();
    List<Long> dueOffset = new ArrayList<>();
    long lastCompletion = 0;
    int inWindow = 0;
    for (int i = 0; i < rows.size(); i++) {
      long[] r = rows.get(i);
      Long arrival = arrivals == null ? null : arrivals.get(ids.get(i));
      if (r == null || r[1] == 0 || arrivals != null && arrival == null) {
        continue;
      }
      late.add((arrival == null ? r[1] : arrival) - r[0]);
      completionLate.add(r[1] - r[0]);
      dueOffset.add(r[0] - t0);
      inWindow += r[0] >= t0 && r[0] < t0 + windowMs ? 1 : 0;
      lastCompletion = Math.max(lastCompletion, r[1]);
    }
    long[] lateness = BenchKit.toArray(late);
    BenchKit.out("per 100 ms from T0, due/completed/max lateness ms of those due: %s", timeline(rows, t0));
    BenchKit.out("due times relative to T0 (ms): %s; %d of %d inside [T0, T0+%d ms)",
      BenchKit.summary(BenchKit.toArray(dueOffset)), inWindow, dueOffset.size(), windowMs);
    BenchKit.out("last completion at T0 + %d ms (Redis index polling saw all finished at T0 + %d ms, from T0 + %d ms)",
      lastCompletion - t0, allDone - t0, waitStart - t0);
    // summary sorts lateness in place, which the percentiles below read
    BenchKit.out("lateness ms (%s - dueAt): %s", arrivals == null ? "completedAt" : "compute call arrival",
      BenchKit.summary(lateness));
    if (arrivals != null) {
      BenchKit.out("lateness ms (completedAt - dueAt): %s", BenchKit.summary(BenchKit.toArray(completionLate)));
    }
    if (lateness.length < p.accepted) {
      BenchKit.out("WARNING: %d runs without a due time, completion or function call", p.accepted - lateness.length);
    }
    BenchKit.out("service histogram orchestrator_wakeup_lateness_seconds (claim - dueAt) during the burst: %s",
      histogram(before, after));
    if (!cpuBefore.isEmpty()) {
      BenchKit.out("CPU ms per run, first trigger -> all finished: %s", BenchKit.CpuProbe.perRun(cpuBefore, cpuAfter,
        p.accepted));
    }
    BenchKit.out("RESULT delay-burst runs=%d window_ms=%d lateness=%s p50_ms=%d p99_ms=%d max_ms=%d", lateness.length,
      windowMs, arrivals == null ? "completion" : "call_arrival", BenchKit.pct(lateness, 50),
      BenchKit.pct(lateness, 99), lateness.length == 0 ? -1 : lateness[lateness.length - 1]);
  }

  /** dueAt and completedAt (epoch ms, 0 when absent) of each run, read from the run hashes; null for a missing hash. */
  /**
   * Runs the wake-up path (claim, completion on waking, archiving) for {@code runs} one-step delay runs before the
   * measured burst, so the JIT has compiled it as it would have in a service that has been up for a while.
   */
  private static void warmUp(Vertx vertx, Api api, Redis redis, BenchKeys keys, int runs) {
    if (runs <= 0) {
      return;
    }
    String orchestration = api.createOrchestration(BenchKit.unique("burst-warmup"), new JsonArray().add(BenchKit.delay("wait", 3000,
      null)));
    long started = System.currentTimeMillis();
    BenchKit.await(new Paced(vertx, api, 1e9, runs, 128, i -> orchestration).start());
    waitFinishedInRedis(redis, keys, api.workspace, List.of(orchestration), runs, 120_000);
    while (BenchKit.await(keys.sum(redis, Command.LLEN, RedisKeys::unarchived)) > 0) {
      sleepUntil(System.currentTimeMillis() + 100);
    }
    BenchKit.out("warm-up: %d one-step delay runs (3 s) triggered, woken, completed and archived in %.1f s", runs,
      (System.currentTimeMillis() - started) / 1e3);
  }

  private static List<long[]> readRuns(Redis redis, BenchKeys keys, List<String> ids) {
    List<long[]> out = new ArrayList<>(ids.size());
    for (List<String> chunk : BenchKit.chunks(ids, 1000)) {
      List<Request> reads = new ArrayList<>();
      for (String id : chunk) {
        reads.add(Request.cmd(Command.HMGET).arg(keys.of(id).run(id)).arg("dueAt").arg("completedAt"));
      }
      for (Response r : BenchKit.await(redis.batch(reads))) {
        if (r.get(0) == null) {
          out.add(null);
          continue;
        }
        long due = (long) Double.parseDouble(r.get(0).toString());
        String done = r.get(1) == null ? "" : r.get(1).toString();
        out.add(new long[] {due, done.isEmpty() ? 0 : Long.parseLong(done)});
      }
    }
    return out;
  }

  /** Queue sizes summed over the partitions. */
  private static String queues(Redis redis, BenchKeys keys) {
    return "ready=" + BenchKit.await(keys.sum(redis, Command.ZCARD, RedisKeys::ready))
      + " leased=" + BenchKit.await(keys.sum(redis, Command.ZCARD, RedisKeys::leases))
      + " timers=" + BenchKit.await(keys.sum(redis, Command.ZCARD, RedisKeys::timers));
  }

  /** Like {@link BenchKit#waitFinished} for many orchestrations: their completed and failed runs counted in their status
   * indexes ({@link StatusBands}), pipelined. */
  private static void waitFinishedInRedis(Redis redis, BenchKeys keys, String workspace,
                                          List<String> orchestrations, long expected, long timeoutMs) {
    List<Request> counts = new ArrayList<>();
    for (String o : orchestrations) {
      for (RedisKeys p : keys.all()) {
        String index = p.statusIndex(workspace, o);
        for (RunStatus status : List.of(RunStatus.COMPLETED, RunStatus.FAILED)) {
          counts.add(Request.cmd(Command.ZCOUNT).arg(index).arg(StatusBands.base(status))
            .arg(StatusBands.top(status)));
        }
      }
    }
    List<Request> queues = new ArrayList<>(keys.each(Command.ZCARD, RedisKeys::timers));
    queues.addAll(keys.each(Command.ZCARD, RedisKeys::ready));
    queues.addAll(keys.each(Command.ZCARD, RedisKeys::leases));
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      // three ZCARDs per partition and poll while the engine still works (O(1) each, one pipeline), so the polling
      // itself does not load Redis
      if (BenchKit.await(redis.batch(queues)).stream().mapToLong(Response::toLong).sum() > 0
          && System.currentTimeMillis() < deadline) {
        sleepUntil(System.currentTimeMillis() + 5);
        continue;
      }
      long done = 0;
      long failed = 0;
      List<Response> replies = BenchKit.await(redis.batch(counts));
      for (int k = 0; k < replies.size(); k++) {
        done += replies.get(k).toLong();
        failed += k % 2 == 1 ? replies.get(k).toLong() : 0;
      }
      if (done >= expected) {
        if (failed > 0) {
          BenchKit.out("WARNING: %d runs failed", failed);
        }
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("only " + done + " of " + expected + " runs finished in time");
      }
      sleepUntil(System.currentTimeMillis() + 20);
    }
  }

  private static void sleepUntil(long epochMs) {
    long left = epochMs - System.currentTimeMillis();
    if (left > 0) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final Pattern BUCKET =
    Pattern.compile("^orchestrator_wakeup_lateness_seconds_bucket\\{.*le=\"([^\"]+)\".*\\}\\s+(\\S+)");

  /** Cumulative bucket counts of the lateness histogram, summed over every instance. */
  private static Map<Double, Double> metrics(Api api) {
    Map<Double, Double> sum = new TreeMap<>();
    for (int port : api.ports) {
      String text = BenchKit.await(api.http.get(port, "127.0.0.1", "/metrics").send()).bodyAsString();
      for (String line : text.split("\n")) {
        Matcher m = BUCKET.matcher(line);
        if (m.find()) {
          double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
          sum.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        }
      }
    }
    return sum;
  }

  /** "n=… p50<=…ms p99<=…ms" from the difference of two cumulative snapshots (bucket upper bounds). */
  /**
   * Per 100 ms from T0: how many runs fell due, how many completed, and the worst lateness of those due, to show when
   * a lag built up and at what rate the service worked it off.
   */
  private static String timeline(List<long[]> rows, long t0) {
    TreeMap<Long, long[]> buckets = new TreeMap<>();
    for (long[] r : rows) {
      if (r != null && r[1] != 0) {
        long[] due = buckets.computeIfAbsent(Math.floorDiv(r[0] - t0, 100) * 100, k -> new long[3]);
        due[0]++;
        due[2] = Math.max(due[2], r[1] - r[0]);
        buckets.computeIfAbsent(Math.floorDiv(r[1] - t0, 100) * 100, k -> new long[3])[1]++;
      }
    }
    StringBuilder out = new StringBuilder();
    buckets.forEach((from, b) -> out.append(out.length() == 0 ? "" : "; ").append('+').append(from).append(": ")
      .append(b[0]).append('/').append(b[1]).append('/').append(b[2]));
    return out.toString();
  }

  private static String histogram(Map<Double, Double> before, Map<Double, Double> after) {
    if (after.isEmpty()) {
      return "not exported";
    }
    double total = after.get(Double.POSITIVE_INFINITY) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    StringBuilder out = new StringBuilder(String.format("n=%.0f", total));
    for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
      for (Map.Entry<Double, Double> e : after.entrySet()) {
        double count = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        if (count >= q * total) {
          out.append(String.format(" p%s<=%s", q == 1.0 ? "100" : String.valueOf(Math.round(q * 100)),
            e.getKey().isInfinite() ? "+Inf" : Math.round(e.getKey() * 1000) + "ms"));
          break;
        }
      }
    }
    return out.toString();
  }

  /**
   * Open-loop triggering at {@code rate}/s (a 1 ms tick sends whatever is due), with at most {@code maxInFlight}
   * requests outstanding; {@code target} picks the orchestration of trigger i (null: stop sending).
   */
  private static final class Paced {
    private final Vertx vertx;
    private final Api api;
    private final double rate;
    private final int n;
    private final int maxInFlight;
    private final IntFunction<String> target;
    private final Context context;
    private final Promise<Void> done = Promise.promise();
    private final String[] runIds;
    private int sent;
    private int inFlight;
    int maxInFlightSeen;
    int accepted;
    int rejected;
    long sendNs;
    private long startNs;
    private long timer;
    private boolean stopped;
    private Redis redis;
    private BenchKeys keys;
    private int backlogLimit;
    private long backlog;
    private boolean backlogPolling;
    private long lastBacklogPollNs;
    int backlogPauses;

    Paced(Vertx vertx, Api api, double rate, int n, int maxInFlight, IntFunction<String> target) {
      this.vertx = vertx;
      this.api = api;
      this.rate = rate;
      this.n = n;
      this.maxInFlight = maxInFlight;
      this.target = target;
      this.context = vertx.getOrCreateContext();
      this.runIds = new String[n];
    }

    Future<Void> start() {
      return start(null);
    }

    /**
     * Sends only while the ready queues (runs triggered but not yet claimed, summed over the partitions) hold at
     * most {@code limit} runs.
     */
    Paced limitBacklog(Redis redis, BenchKeys keys, int limit) {
      this.redis = redis;
      this.keys = keys;
      this.backlogLimit = limit;
      return this;
    }

    private void pollBacklog() {
      long now = System.nanoTime();
      if (backlogPolling || now - lastBacklogPollNs < 5_000_000) {
        return;
      }
      backlogPolling = true;
      lastBacklogPollNs = now;
      keys.sum(redis, Command.ZCARD, RedisKeys::ready).onComplete(ar -> {
        backlogPolling = false;
        if (ar.succeeded()) {
          backlog = ar.result();
        }
      });
    }

    /** @param startMs when given, receives the epoch ms of the first send */
    Future<Void> start(long[] startMs) {
      context.runOnContext(v -> {
        startNs = System.nanoTime();
        if (startMs != null) {
          startMs[0] = System.currentTimeMillis();
        }
        timer = vertx.setPeriodic(1, id -> tick());
        tick();
      });
      return done.future();
    }

    private void tick() {
      long due = Math.min(n, (long) ((System.nanoTime() - startNs) / 1e9 * rate) + 1);
      if (backlogLimit > 0) {
        pollBacklog();
        if (backlog > backlogLimit) {
          backlogPauses++;
          return;
        }
      }
      while (!stopped && sent < due && inFlight < maxInFlight) {
        int i = sent;
        String orchestration = target.apply(i);
        if (orchestration == null) {
          stopped = true;
          break;
        }
        sent++;
        inFlight++;
        maxInFlightSeen = Math.max(maxInFlightSeen, inFlight);
        api.send(HttpMethod.POST, api.port(i), "/orchestrations/" + orchestration + "/trigger", BODY)
          .onComplete(ar -> {
            inFlight--;
            if (ar.succeeded() && ar.result().statusCode() == 201) {
              runIds[i] = ar.result().bodyAsJsonObject().getString("id");
              accepted++;
            } else if (++rejected <= 5) {
              BenchKit.out("trigger failed: %s", ar.succeeded()
                ? ar.result().statusCode() + " " + ar.result().bodyAsString() : ar.cause().toString());
            }
            finishIfDone();
          });
      }
      if (sent == n) {
        stopped = true;
      }
      finishIfDone();
    }

    private void finishIfDone() {
      if (stopped && inFlight == 0 && !done.future().isComplete()) {
        sendNs = System.nanoTime() - startNs;
        vertx.cancelTimer(timer);
        done.complete();
      }
    }

    List<String> ids() {
      List<String> ids = new ArrayList<>();
      for (String id : runIds) {
        if (id != null) {
          ids.add(id);
        }
      }
      return ids;
    }
  }
}
