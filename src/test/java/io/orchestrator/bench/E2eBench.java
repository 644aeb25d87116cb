package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end throughput: a 3-step orchestration (compute → decision → compute) against a local no-op function.
 * Triggers {@code runs} runs with at most {@code concurrency} trigger requests in flight and at most {@code window}
 * runs triggered but not yet finished (so the rate settles at what the workers sustain instead of queueing without
 * bound), spread round-robin over every instance. Completion is detected by polling List Runs
 * ({@code status=completed}, {@code meta.total}) every {@code pollMs}. Throughput = runs / (first trigger sent → the
 * poll that saw the last completion). Latency = completedAt − startedAt from Get Run Details of {@code sample} runs
 * picked evenly over the trigger order.
 *
 * <p>Warm-up, on other orchestrations, until the service is in its steady state: HotSpot's C2 compiler keeps
 * compiling this code (Netty, Vert.x, Jackson, the validators, the engine) for tens of seconds of load, and while it
 * does it takes a large share of the two cores (measured: C2 threads still ~25 % of a core per JVM after 12,000 runs).
 * The warm-up therefore runs in chunks of {@code warmupChunk} runs, at least {@code warmup} runs in all, until the
 * JIT compiler threads of the service processes (read from /proc, pids from {@code cpuPids}) used at most
 * {@code jitSettled} of a core per instance during the last chunk, or {@code warmupMaxSeconds} have passed. Each
 * chunk's throughput and JIT share are printed. Without {@code cpuPids} the warm-up is the minimum alone;
 * {@code --warmup=0} skips it.
 *
 * <p>{@code --mode=steady}: latency at a fixed rate instead, open-loop (see {@link #steady}); warmed up as above only
 * when {@code --warmup} is given.
 *
 * <p>{@code --ports=8080[,8081] --token=… --workspace=… [--runs=40000] [--warmup=12000×instances]
 * [--warmupChunk=6000×instances] [--jitSettled=0.05] [--warmupMaxSeconds=180] [--concurrency=128] [--window=…]
 * [--sample=2000] [--pollMs=20] [--cpuPids=service1:PID,redis:PID,postgres:PID+PID]
 * [--functionUrl=http://127.0.0.1:PORT/noop]} (a function server outside this JVM instead of its own), and for
 * {@code --mode=steady} {@code [--rate=1000] [--seconds=20] [--leadSeconds=0] [--sample=all]}.
 */
public final class E2eBench {

  private static final Buffer TRIGGER_BODY = Buffer.buffer("{\"input\":{\"orderId\":42,\"amount\":99.5}}");

  public static void main(String[] argv) {
    BenchKit.main(() -> run(BenchKit.args(argv)));
  }

  private static void run(Map<String, String> args) {
    List<Integer> ports = BenchKit.ports(args);
    int runs = BenchKit.integer(args, "runs", 40_000);
    int concurrency = BenchKit.integer(args, "concurrency", 128);
    int window = BenchKit.integer(args, "window", 600 * ports.size());
    int sample = BenchKit.integer(args, "sample", 2_000);
    int pollMs = BenchKit.integer(args, "pollMs", 20);

    Vertx vertx = BenchKit.vertx();
    // --functionUrl: a function server outside this JVM (shared with another system under test, bench/peer-bullmq.sh)
    NoopFunctionServer fn = args.containsKey("functionUrl") ? null : NoopFunctionServer.start(vertx, 1, false);
    String functionUrl = fn == null ? args.get("functionUrl") : fn.url();
    String self = fn == null ? "load generator" : "load generator + function server";
    Api api = new Api(vertx, ports, BenchKit.need(args, "workspace"), BenchKit.need(args, "token"),
      concurrency + 16);
    String functionId = api.createFunction("noop", functionUrl);
    JsonArray steps = new JsonArray()
      .add(BenchKit.compute("validate", functionId, "check"))
      .add(BenchKit.decisionOkThen("check", "steps.validate.output.ok", "fulfill"))
      .add(BenchKit.compute("fulfill", functionId, null));
    String measured = api.createOrchestration(BenchKit.unique("e2e"), steps);
    BenchKit.out("setup: function server %s%s, orchestration %s; instances on ports %s; concurrency=%d window=%d",
      functionUrl, fn == null ? " (external)" : "", measured, ports, concurrency, window);

    BenchKit.CpuProbe cpu = new BenchKit.CpuProbe(args.get("cpuPids"));
    if (args.getOrDefault("mode", "throughput").equals("steady")) {
      if (args.containsKey("warmup")) {
        // bench/peer-bullmq.sh warms the service with its throughput phase instead; run alone, ask for it
        warmUp(vertx, api, steps, cpu.pidsOf("service"), concurrency, window, pollMs, args, ports.size());
      }
      steady(vertx, api, measured, cpu, self, args);
      return;
    }
    warmUp(vertx, api, steps, cpu.pidsOf("service"), concurrency, window, pollMs, args, ports.size());
    Map<String, Map<Long, Double>> cpuBefore = cpu.snapshot();
    long selfBefore = selfCpuNs();
    long callsBefore = fn == null ? 0 : fn.calls.get();
    Phase m = new Phase(vertx, api, measured, runs, concurrency, window, pollMs);
    BenchKit.await(m.start());
    Map<String, Map<Long, Double>> cpuAfter = cpu.snapshot();
    long selfNs = selfCpuNs() - selfBefore;
    double rate = m.accepted * 1000.0 / m.elapsedMs();
    BenchKit.out("measured: %d runs triggered (%d rejected), %d completed, %d failed; function calls %s",
      m.accepted, m.rejected, m.completed, m.failed, fn == null ? "not counted (external server)"
        : String.valueOf(fn.calls.get() - callsBefore));
    BenchKit.out("elapsed first trigger -> last completion seen: %d ms; triggers all sent after %d ms",
      m.elapsedMs(), m.triggerPhaseMs);
    BenchKit.out("throughput: %.0f completed runs/s", rate);
    BenchKit.out("trigger HTTP latency ms: %s", BenchKit.summary(m.triggerLatencyMs()));
    if (!cpuBefore.isEmpty()) {
      BenchKit.out("CPU ms per run in the measured phase: %s; %s %.2f",
        BenchKit.CpuProbe.perRun(cpuBefore, cpuAfter, m.accepted), self, selfNs / 1e6 / m.accepted);
    }

    long[] latency = sampleLatency(vertx, api, measured, m.runIds, sample);
    BenchKit.out("trigger-to-completion ms (completedAt - startedAt, %d runs sampled evenly): %s", latency.length,
      BenchKit.summary(latency));
    BenchKit.out("RESULT e2e instances=%d runs=%d runs_per_s=%.0f p50_ms=%d p99_ms=%d failed=%d", ports.size(),
      m.accepted, rate, BenchKit.pct(latency, 50), BenchKit.pct(latency, 99), m.failed);
  }

  /**
   * Runs warm-up chunks (each on a fresh orchestration, so its completion count starts at 0) until the minimum is
   * reached and the JIT has settled, or the time is up. {@code --warmup=0} skips the warm-up.
   */
  private static void warmUp(Vertx vertx, Api api, JsonArray steps, List<Long> servicePids, int concurrency,
                             int window, int pollMs, Map<String, String> args, int instances) {
    int minimum = BenchKit.integer(args, "warmup", 12_000 * instances);
    if (minimum == 0) {
      return;
    }
    int chunk = BenchKit.integer(args, "warmupChunk", 6_000 * instances);
    double settledShare = Double.parseDouble(args.getOrDefault("jitSettled", "0.05"));
    long startNs = System.nanoTime();
    long deadline = startNs + BenchKit.integer(args, "warmupMaxSeconds", 180) * 1_000_000_000L;
    int total = 0;
    int k = 0;
    boolean settled;
    do {
      k++;
      double jitBefore = BenchKit.CpuProbe.jitSeconds(servicePids);
      Phase w = new Phase(vertx, api, api.createOrchestration(BenchKit.unique("e2e-warmup-" + k), steps), chunk, concurrency, window,
        pollMs);
      BenchKit.await(w.start());
      total += w.accepted;
      double jitShare = (BenchKit.CpuProbe.jitSeconds(servicePids) - jitBefore) / (w.elapsedMs() / 1000.0)
        / Math.max(1, servicePids.size());
      BenchKit.out("warm-up chunk %d: %d runs in %d ms (%.0f runs/s), %d failed; JIT compiler threads %s", k,
        w.accepted, w.elapsedMs(), w.accepted * 1000.0 / w.elapsedMs(), w.failed,
        servicePids.isEmpty() ? "not measured" : String.format(Locale.ROOT, "%.0f %% of a core per instance",
          jitShare * 100));
      settled = servicePids.isEmpty() || jitShare <= settledShare || System.nanoTime() > deadline;
    } while (total < minimum || !settled);
    BenchKit.out("warm-up: %d runs in %.1f s", total, (System.nanoTime() - startNs) / 1e9);
  }

  /**
   * Latency at a fixed rate: triggers open-loop at {@code rate}/s ({@link OpenLoad}: trigger n is due at start + n /
   * rate whatever became of the earlier ones; at most {@code concurrency} requests outstanding, a trigger due beyond
   * that is skipped and counted) for {@code leadSeconds} not measured, then for {@code seconds} measured, without a
   * break; waits until every accepted run finished (List Runs counts every {@code pollMs}), then reads completedAt −
   * startedAt of {@code sample} runs (default all) of the measured seconds, picked evenly over the trigger order.
   * The lead-in lets the service reach the steady state of this very load: a closed-loop warm-up leaves branch
   * profiles that an open-loop load at a lower rate does not match, and the JIT recompiles in the first second of it
   * (measured: 91 compilations, 40 of them deoptimisations, in that second; docs/performance.md §18). CPU per run
   * covers the measured seconds' first trigger → all finished.
   */
  private static void steady(Vertx vertx, Api api, String orchestrationId, BenchKit.CpuProbe cpu, String self,
                             Map<String, String> args) {
    int rate = BenchKit.integer(args, "rate", 1_000);
    int seconds = BenchKit.integer(args, "seconds", 20);
    int leadSeconds = BenchKit.integer(args, "leadSeconds", 0);
    int maxInFlight = BenchKit.integer(args, "concurrency", 128);
    int pollMs = BenchKit.integer(args, "pollMs", 20);
    OpenLoad load = new OpenLoad(vertx, api, orchestrationId, rate, maxInFlight);
    load.start();
    BenchKit.sleep(leadSeconds * 1000L);
    Map<String, Map<Long, Double>> cpuBefore = cpu.snapshot();
    long selfBefore = selfCpuNs();
    long startNs = System.nanoTime();
    long measuredFromMs = System.currentTimeMillis();
    long sentBefore = load.sent();
    long skippedBefore = load.skipped();
    BenchKit.sleep(seconds * 1000L);
    BenchKit.await(load.stop());
    List<OpenLoad.Answer> answers = new ArrayList<>(load.answers());
    answers.sort(java.util.Comparator.comparingLong(OpenLoad.Answer::sentMs));
    long accepted = answers.stream().filter(a -> a.runId() != null).count();
    List<OpenLoad.Answer> measured = answers.stream().filter(a -> a.sentMs() >= measuredFromMs).toList();
    String[] ids = measured.stream().map(OpenLoad.Answer::runId).filter(java.util.Objects::nonNull)
      .toArray(String[]::new);
    long failed = BenchKit.waitFinished(api, List.of(orchestrationId), accepted, 300_000, pollMs);
    long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
    Map<String, Map<Long, Double>> cpuAfter = cpu.snapshot();
    long selfNs = selfCpuNs() - selfBefore;
    long skipped = load.skipped() - skippedBefore;
    if (leadSeconds > 0) {
      BenchKit.out("steady lead-in: %d triggers in %d s at %d/s, not measured", sentBefore, leadSeconds, rate);
    }
    BenchKit.out("steady: %d triggers due in %d s at %d/s, %d sent (%d skipped: %d in flight), %d accepted, %d not "
        + "accepted; all finished %d ms after the first measured trigger", load.sent() - sentBefore, seconds, rate,
      load.sent() - sentBefore - skipped, skipped, maxInFlight, ids.length, measured.size() - ids.length, elapsedMs);
    if (!cpuBefore.isEmpty()) {
      BenchKit.out("CPU ms per run, first measured trigger -> all finished: %s; %s %.2f",
        BenchKit.CpuProbe.perRun(cpuBefore, cpuAfter, ids.length), self, selfNs / 1e6 / Math.max(1, ids.length));
    }
    long[] latency = sampleLatency(vertx, api, orchestrationId, ids, BenchKit.integer(args, "sample", ids.length));
    BenchKit.out("trigger-to-completion ms (completedAt - startedAt, %d runs sampled evenly): %s", latency.length,
      BenchKit.summary(latency));
    BenchKit.out("RESULT e2e-steady rate=%d seconds=%d runs=%d p50_ms=%d p99_ms=%d failed=%d skipped=%d", rate,
      seconds, ids.length, BenchKit.pct(latency, 50), BenchKit.pct(latency, 99), failed, skipped);
  }

  private static long selfCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
      .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** completedAt − startedAt of {@code sample} runs picked evenly, read through Get Run Details. */
  private static long[] sampleLatency(Vertx vertx, Api api, String orchestrationId, String[] runIds, int sample) {
    List<String> picked = new ArrayList<>();
    double step = Math.max(1.0, runIds.length / (double) sample);
    for (double i = 0; i < runIds.length && picked.size() < sample; i += step) {
      if (runIds[(int) i] != null) {
        picked.add(runIds[(int) i]);
      }
    }
    List<Long> out = new ArrayList<>();
    AtomicInteger notCompleted = new AtomicInteger();
    for (List<String> chunk : BenchKit.chunks(picked, 32)) {
      List<Future<JsonObject>> reads = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        reads.add(api.run(api.port(i), orchestrationId, chunk.get(i)));
      }
      BenchKit.await(Future.all(reads));
      for (Future<JsonObject> r : reads) {
        JsonObject run = r.result();
        if (!"completed".equals(run.getString("status"))) {
          notCompleted.incrementAndGet();
          continue;
        }
        out.add(Instant.parse(run.getString("completedAt")).toEpochMilli()
          - Instant.parse(run.getString("startedAt")).toEpochMilli());
      }
    }
    if (notCompleted.get() > 0) {
      BenchKit.out("WARNING: %d sampled runs were not completed", notCompleted.get());
    }
    return BenchKit.toArray(out);
  }

  /** One batch of runs of one orchestration, driven from a single event-loop context. */
  static final class Phase {

    private final Vertx vertx;
    private final Api api;
    private final LeanHttp http;
    private final String orchestrationId;
    private final String triggerPath;
    private final int n;
    private final int concurrency;
    private final int window;
    private final int pollMs;
    private final Context context;
    private final Promise<Void> done = Promise.promise();
    final String[] runIds;
    private final long[] triggerNanos;
    private int next;
    private int inFlight;
    int accepted;
    int rejected;
    long completed;
    long failed;
    private boolean polling;
    private long polls;
    private long startNs;
    private long endNs;
    long triggerPhaseMs;
    private long lastProgressNs;
    private long timer;

    Phase(Vertx vertx, Api api, String orchestrationId, int n, int concurrency, int window, int pollMs) {
      this.vertx = vertx;
      this.api = api;
      this.http = api.leanClient(vertx);
      this.orchestrationId = orchestrationId;
      this.triggerPath = api.path("/orchestrations/" + orchestrationId + "/trigger");
      this.n = n;
      this.concurrency = concurrency;
      this.window = window;
      this.pollMs = pollMs;
      this.context = vertx.getOrCreateContext();
      this.runIds = new String[n];
      this.triggerNanos = new long[n];
    }

    Future<Void> start() {
      context.runOnContext(v -> {
        startNs = System.nanoTime();
        lastProgressNs = startNs;
        pump();
        timer = vertx.setPeriodic(pollMs, id -> poll());
      });
      return done.future().eventually(() -> http.close());
    }

    long elapsedMs() {
      return (endNs - startNs) / 1_000_000;
    }

    long[] triggerLatencyMs() {
      long[] ms = new long[accepted + rejected];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = triggerNanos[i] / 1_000_000;
      }
      return ms;
    }

    private void pump() {
      while (next < n && inFlight < concurrency && next - completed - failed < window) {
        fire(next++);
      }
    }

    private void fire(int i) {
      inFlight++;
      long t0 = System.nanoTime();
      http.postJson(api.port(i), triggerPath, TRIGGER_BODY)
        .onComplete(ar -> {
          inFlight--;
          triggerNanos[i] = System.nanoTime() - t0;
          if (ar.succeeded() && ar.result().status() == 201) {
            runIds[i] = LeanHttp.runId(ar.result().body());
            accepted++;
          } else {
            rejected++;
            if (rejected <= 5) {
              BenchKit.out("trigger failed: %s", ar.succeeded()
                ? ar.result().status() + " " + ar.result().body() : ar.cause().toString());
            }
          }
          if (accepted + rejected == n) {
            triggerPhaseMs = (System.nanoTime() - startNs) / 1_000_000;
          }
          pump();
        });
    }

    private void poll() {
      if (polling) {
        return;
      }
      polling = true;
      long p = polls++;
      boolean checkFailed = p % 10 == 0 || next == n;
      Future<Long> c = api.countRuns(api.port(p), orchestrationId, "completed");
      Future<Long> f = checkFailed ? api.countRuns(api.port(p + 1), orchestrationId, "failed")
        : Future.succeededFuture(failed);
      Future.all(c, f).onComplete(ar -> {
        polling = false;
        long now = System.nanoTime();
        if (ar.succeeded()) {
          if (c.result() + f.result() > completed + failed) {
            lastProgressNs = now;
          }
          completed = c.result();
          failed = f.result();
        }
        if (next == n && inFlight == 0 && completed + failed >= accepted) {
          endNs = now;
          vertx.cancelTimer(timer);
          done.tryComplete();
          return;
        }
        if (now - lastProgressNs > 120_000_000_000L) {
          vertx.cancelTimer(timer);
          done.tryFail("no progress for 120 s: " + completed + " completed, " + failed + " failed of " + accepted);
          return;
        }
        pump();
      });
    }
  }
}
