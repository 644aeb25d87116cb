package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live-progress fan-out: {@code streams} open run streams ({@code GET …/runs/{runId}/stream}, Server-Sent Events) on
 * one instance while other runs execute at {@code rate} runs/s, and what an open stream costs the service in memory.
 *
 * <p>Setup: a no-op function; the watched orchestration {@code delay(delayMs) → compute(no-op)}; the background
 * orchestration {@code compute → decision → compute} (bench/e2e.sh's shape), triggered open-loop ({@link OpenLoad}).
 *
 * <ol>
 *   <li>Warm-up (unrecorded figures printed as "warm-up"): background load for the whole phase, and the same stream
 *   procedure as below on {@code streams} runs of a twin orchestration with a shorter delay, so the stream path, the
 *   claim and the trigger path are JIT-compiled before the measured phase.</li>
 *   <li>Background load stopped. {@code streams} watched runs are triggered, paced over {@code spreadSeconds} (so
 *   their wake-ups spread over as long), and park in their delay.</li>
 *   <li>Memory: {@code jcmd <pid> GC.run}, then VmRSS (/proc/&lt;pid&gt;/status) and the heap used after that full
 *   GC ({@code jcmd GC.heap_info}); one stream opened per watched run (at most 100 opening at once) and its first
 *   event (the current state) awaited; the same readings again. Per open stream = difference / streams.</li>
 *   <li>Background load at {@code rate} runs/s started; the watched runs wake ({@code delayMs} after their park) and
 *   complete while it runs; it stops once every stream has ended (or {@code endTimeoutSeconds} after the last
 *   wake-up is due).</li>
 * </ol>
 *
 * <p>Latency, per event after a stream's first: receive time (the client's wall clock when the chunk holding the
 * event arrived) − the newest timestamp in the event's payload (the run's startedAt/completedAt and every timeline
 * entry's startedAt/completedAt), i.e. the time the service passed to the script that made the change (its wake-up
 * claim, or its finish). Client, service and Redis share one host clock; the payload has millisecond precision. When
 * the server coalesced changes (a read in flight when the next change came), one event carries the newest, and its
 * latency is measured from that one.
 *
 * <p>{@code --ports=8080 --token=… --workspace=… --servicePid=… [--streams=1000] [--rate=500] [--delayMs=45000]
 * [--spreadSeconds=10] [--warmupDelayMs=15000] [--warmupStreams=streams] [--endTimeoutSeconds=60]
 * [--cpuPids=service1:PID,redis:@redis-server,postgres:@postgres]}
 */
public final class SseFanoutBench {

  private static final int OPENING_AT_ONCE = 100;

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchKit.args(argv);
    List<Integer> ports = BenchKit.ports(args);
    int streams = BenchKit.integer(args, "streams", 1_000);
    int rate = BenchKit.integer(args, "rate", 500);
    int delayMs = BenchKit.integer(args, "delayMs", 45_000);
    int spreadSeconds = BenchKit.integer(args, "spreadSeconds", 10);
    int warmupDelayMs = BenchKit.integer(args, "warmupDelayMs", 15_000);
    int warmupStreams = BenchKit.integer(args, "warmupStreams", streams);
    int endTimeout = BenchKit.integer(args, "endTimeoutSeconds", 60);
    long servicePid = Long.parseLong(BenchKit.need(args, "servicePid"));
    String token = BenchKit.need(args, "token");
    String workspace = BenchKit.need(args, "workspace");

    Vertx vertx = BenchKit.vertx();
    NoopFunctionServer fn = NoopFunctionServer.start(vertx, 1, false);
    Api api = new Api(vertx, ports, workspace, token, 300);
    String functionId = api.createFunction("noop", fn.url());
    String background = api.createOrchestration("sse-background", new JsonArray()
      .add(BenchKit.compute("validate", functionId, "check"))
      .add(BenchKit.decisionOkThen("check", "steps.validate.output.ok", "fulfill"))
      .add(BenchKit.compute("fulfill", functionId, null)));
    String warmWatched = api.createOrchestration("sse-watched-warmup", watched(functionId, warmupDelayMs));
    String watched = api.createOrchestration("sse-watched", watched(functionId, delayMs));
    HttpClient sse = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(ports.get(0)).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(streams + 64));
    Streams.Config config = new Streams.Config(sse, workspace, token);
    BenchKit.out("setup: service pid %d on port %d; %d streams; background %d runs/s (%s); watched %s delay %d ms, "
        + "triggered over %d s", servicePid, ports.get(0), streams, rate, background, watched, delayMs, spreadSeconds);

    // 1. warm-up
    long warmStart = System.currentTimeMillis();
    OpenLoad warmLoad = new OpenLoad(vertx, api, background, rate, 256);
    warmLoad.start();
    Streams warm = new Streams(config, warmWatched);
    warm.trigger(vertx, api, warmupStreams, spreadSeconds);
    warm.openAll();
    warm.awaitEnds(warmupDelayMs / 1000 + endTimeout);
    BenchKit.await(warmLoad.stop());
    report("warm-up", warm, warmLoad, System.currentTimeMillis() - warmStart);

    // 2. watched runs park
    Streams measured = new Streams(config, watched);
    long triggerStart = System.currentTimeMillis();
    measured.trigger(vertx, api, streams, spreadSeconds);
    long lastTriggered = System.currentTimeMillis();
    ServiceFleet.sleep(2_000);

    // 3. memory per open stream
    Memory before = Memory.read(servicePid);
    measured.openAll();
    long opened = System.currentTimeMillis();
    ServiceFleet.sleep(2_000);
    Memory after = Memory.read(servicePid);
    BenchKit.out("memory before opening: %s", before);
    BenchKit.out("memory with %d streams open: %s", measured.opened.get(), after);
    int open = Math.max(1, measured.opened.get());
    BenchKit.out("per open stream: RSS %+d B (before the full GC: %+d B), heap used after a full GC %+d B",
      (after.rssKb - before.rssKb) * 1024 / open, (after.rssKbNoGc - before.rssKbNoGc) * 1024 / open,
      (after.heapUsedKb - before.heapUsedKb) * 1024 / open);
    BenchKit.out("first events (current state) by status: %s; open -> first event ms: %s", measured.firstStatuses,
      BenchKit.summary(BenchKit.toArray(new ArrayList<>(measured.firstEventMs))));

    // 4. wake-ups under the background load
    BenchKit.CpuProbe cpu = new BenchKit.CpuProbe(args.get("cpuPids"));
    Map<String, Map<Long, Double>> cpuBefore = cpu.snapshot();
    long loadStart = System.currentTimeMillis();
    OpenLoad load = new OpenLoad(vertx, api, background, rate, 256);
    load.start();
    BenchKit.out("background load started %d ms after the streams were open; first wake-up due in ~%d ms, last "
        + "~%d ms", loadStart - opened, triggerStart + delayMs - loadStart, lastTriggered + delayMs - loadStart);
    if (triggerStart + delayMs - loadStart < 5_000) {
      BenchKit.out("WARNING: the watched runs wake less than 5 s after the background load started (raise --delayMs)");
    }
    measured.awaitEnds((int) ((lastTriggered + delayMs - System.currentTimeMillis()) / 1000) + endTimeout);
    BenchKit.await(load.stop());
    long loadMs = System.currentTimeMillis() - loadStart;
    Map<String, Map<Long, Double>> cpuAfter = cpu.snapshot();
    long[] latency = report("measured", measured, load, loadMs);
    if (!cpuBefore.isEmpty()) {
      BenchKit.out("CPU ms per background run during the load: %s",
        BenchKit.CpuProbe.perRun(cpuBefore, cpuAfter, accepted(load)));
    }
    long completedBackground = BenchKit.await(api.countRuns(ports.get(0), background, "completed"));
    BenchKit.out("background runs completed (all phases, read after the load): %d", completedBackground);
    BenchKit.out("RESULT sse-fanout streams=%d opened=%d ended_ok=%d events=%d p50_ms=%d p99_ms=%d max_ms=%d "
        + "background_runs_per_s=%.0f rss_bytes_per_stream=%d heap_bytes_per_stream=%d", streams,
      measured.opened.get(), measured.endedAfterTerminal.get(), latency.length, BenchKit.pct(latency, 50),
      BenchKit.pct(latency, 99), latency.length == 0 ? -1 : latency[latency.length - 1],
      accepted(load) * 1000.0 / loadMs, (after.rssKb - before.rssKb) * 1024 / open,
      (after.heapUsedKb - before.heapUsedKb) * 1024 / open);
    sse.close();
    System.exit(0);
  }

  private static JsonArray watched(String functionId, long delayMs) {
    return new JsonArray().add(BenchKit.delay("wait", delayMs, "notify"))
      .add(BenchKit.compute("notify", functionId, null));
  }

  private static long accepted(OpenLoad load) {
    return load.answers().stream().filter(a -> a.status() == 201).count();
  }

  /** Prints a phase's stream and background figures; returns the sorted change-to-event latencies. */
  private static long[] report(String phase, Streams s, OpenLoad load, long loadMs) {
    long[] latency = BenchKit.toArray(new ArrayList<>(s.latencyMs));
    BenchKit.out("%s: streams opened %d (failed to open %d), ended after the terminal state %d, ended otherwise %d, "
        + "still open %d; events received %d (first events %d, change events %d)", phase, s.opened.get(),
      s.openFailed.get(), s.endedAfterTerminal.get(), s.endedOtherwise.get(),
      s.opened.get() - s.endedAfterTerminal.get() - s.endedOtherwise.get(), s.events.get(), s.firstStatuses.values()
        .stream().mapToInt(AtomicInteger::get).sum(), latency.length);
    BenchKit.out("%s: change events by status: %s", phase, s.changeStatuses);
    s.latencyByStatus.forEach((status, values) -> BenchKit.out("%s: state change -> event received ms, status %s: %s",
      phase, status, BenchKit.summary(BenchKit.toArray(new ArrayList<>(values)))));
    BenchKit.out("%s: state change -> event received ms, all change events: %s", phase, BenchKit.summary(latency));
    long ok = accepted(load);
    long[] trigger = load.answers().stream().filter(a -> a.status() == 201).mapToLong(a -> a.answeredMs() - a.sentMs())
      .toArray();
    BenchKit.out("%s: background load %d triggers due, %d skipped (in-flight cap), %d accepted (201), %d other in "
        + "%d ms: %.0f accepted runs/s; trigger answer ms %s", phase, load.sent(), load.skipped(), ok,
      load.answers().size() - ok, loadMs, ok * 1000.0 / loadMs, BenchKit.summary(trigger));
    return latency;
  }

  /** VmRSS and heap used of the service, read after a full GC (and VmRSS once before it). */
  private record Memory(long rssKbNoGc, long rssKb, long heapUsedKb) {

    static Memory read(long pid) throws IOException, InterruptedException {
      long noGc = rssKb(pid);
      jcmd(pid, "GC.run");
      ServiceFleet.sleep(1_000);
      long rss = rssKb(pid);
      String heap = jcmd(pid, "GC.heap_info");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heap);
      return new Memory(noGc, rss, m.find() ? Long.parseLong(m.group(1)) : -1);
    }

    private static long rssKb(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "VmRSS %d KiB (before the full GC %d KiB), heap used after a full GC %d KiB",
        rssKb, rssKbNoGc, heapUsedKb);
    }
  }

  /** The watched runs of one phase and their streams. */
  private static final class Streams {

    record Config(HttpClient http, String workspace, String token) {
    }

    private final Config config;
    private final String orchestrationId;
    private final List<String> runIds = new ArrayList<>();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger openFailed = new AtomicInteger();
    final AtomicInteger endedAfterTerminal = new AtomicInteger();
    final AtomicInteger endedOtherwise = new AtomicInteger();
    final AtomicInteger events = new AtomicInteger();
    final Queue<Long> latencyMs = new ConcurrentLinkedQueue<>();
    final Queue<Long> firstEventMs = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicInteger> firstStatuses = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> changeStatuses = new ConcurrentHashMap<>();
    final Map<String, Queue<Long>> latencyByStatus = new ConcurrentHashMap<>();
    private final List<Future<Void>> ends = new ArrayList<>();

    Streams(Config config, String orchestrationId) {
      this.config = config;
      this.orchestrationId = orchestrationId;
    }

    /** Triggers {@code count} runs evenly over {@code seconds}; keeps the ids of the 201s. */
    void trigger(Vertx vertx, Api api, int count, int seconds) {
      Promise<Void> done = Promise.promise();
      List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger answered = new AtomicInteger();
      long startNs = System.nanoTime();
      int[] sent = {0};
      vertx.runOnContext(v -> vertx.setPeriodic(5, timer -> {
        long due = Math.min(count, (System.nanoTime() - startNs) * count / (seconds * 1_000_000_000L) + 1);
        for (; sent[0] < due; sent[0]++) {
          api.json(HttpMethod.POST, api.port(0), "/orchestrations/" + orchestrationId + "/trigger",
            new JsonObject().put("input", new JsonObject().put("i", sent[0]))).onComplete(ar -> {
              if (ar.succeeded()) {
                ids.add(ar.result().getString("id"));
              }
              if (answered.incrementAndGet() == count) {
                done.complete();
              }
            });
        }
        if (sent[0] == count) {
          vertx.cancelTimer(timer);
        }
      }));
      BenchKit.await(done.future());
      runIds.addAll(ids);
      if (runIds.size() < count) {
        BenchKit.out("WARNING: %d of %d watched triggers failed", count - runIds.size(), count);
      }
    }

    /** Opens one stream per run, at most {@value #OPENING_AT_ONCE} at once, and waits for every first event. */
    void openAll() {
      for (List<String> chunk : BenchKit.chunks(runIds, OPENING_AT_ONCE)) {
        List<Future<Void>> chunkFirsts = new ArrayList<>();
        for (String runId : chunk) {
          chunkFirsts.add(open(runId));
        }
        try {
          BenchKit.await(Future.join(chunkFirsts), 120);
        } catch (IllegalStateException e) {
          // counted per stream
        }
      }
    }

    /** Waits until every opened stream has ended, at most {@code seconds}. */
    void awaitEnds(int seconds) {
      try {
        BenchKit.await(Future.join(ends), Math.max(1, seconds));
      } catch (IllegalStateException e) {
        BenchKit.out("not every stream ended within %d s", seconds);
      }
    }

    /** Completes with the first event; {@link #ends} gets a future completing when the stream ends. */
    private Future<Void> open(String runId) {
      Promise<Void> first = Promise.promise();
      Promise<Void> end = Promise.promise();
      ends.add(end.future());
      long openMs = System.currentTimeMillis();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setURI(BenchKit.BASE + config.workspace + "/orchestrations/" + orchestrationId + "/runs/" + runId + "/stream")
        .putHeader("Authorization", "Bearer " + config.token).putHeader("Accept", "text/event-stream");
      config.http.request(options).compose(HttpClientRequest::send).onComplete(ar -> {
        if (ar.failed() || ar.result().statusCode() != 200) {
          openFailed.incrementAndGet();
          BenchKit.out("stream of %s: %s", runId, ar.failed() ? ar.cause() : "HTTP " + ar.result().statusCode());
          first.tryFail("not opened");
          end.tryComplete();
          return;
        }
        opened.incrementAndGet();
        Reader reader = new Reader(openMs, first);
        // handlers set in the response's own callback: data arriving before a handler is set would be lost
        ar.result().handler(reader::received);
        ar.result().endHandler(v -> {
          (reader.terminal ? endedAfterTerminal : endedOtherwise).incrementAndGet();
          first.tryFail("ended before its first event");
          end.tryComplete();
        });
        ar.result().exceptionHandler(e -> {
          first.tryFail(e);
          end.tryComplete();
        });
      });
      return first.future();
    }

    /** Parses one stream's events as they arrive. */
    private final class Reader {
      private final long openMs;
      private final Promise<Void> first;
      private final StringBuilder pending = new StringBuilder();
      private boolean seenFirst;
      boolean terminal;

      Reader(long openMs, Promise<Void> first) {
        this.openMs = openMs;
        this.first = first;
      }

      void received(Buffer chunk) {
        long now = System.currentTimeMillis();
        pending.append(chunk.toString());
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          String block = pending.substring(0, end);
          pending.delete(0, end + 2);
          for (String line : block.split("\n")) {
            if (line.startsWith("data:")) {
              event(new JsonObject(line.substring(5).trim()), now);
            }
          }
        }
      }

      private void event(JsonObject run, long now) {
        events.incrementAndGet();
        String status = run.getString("status");
        terminal = "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
        if (!seenFirst) {
          seenFirst = true;
          firstStatuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
          firstEventMs.add(now - openMs);
          first.tryComplete();
          return;
        }
        long latency = now - changedAt(run);
        latencyMs.add(latency);
        changeStatuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        latencyByStatus.computeIfAbsent(status, k -> new ConcurrentLinkedQueue<>()).add(latency);
      }
    }
  }

  /** The newest timestamp of a Get Run Details payload: its startedAt/completedAt and its timeline's. */
  static long changedAt(JsonObject run) {
    long newest = Math.max(millis(run.getString("startedAt")), millis(run.getString("completedAt")));
    JsonArray timeline = run.getJsonArray("timeline", new JsonArray());
    for (int i = 0; i < timeline.size(); i++) {
      JsonObject entry = timeline.getJsonObject(i);
      newest = Math.max(newest, Math.max(millis(entry.getString("startedAt")), millis(entry.getString("completedAt"))));
    }
    return newest;
  }

  private static long millis(String timestamp) {
    return timestamp == null ? Long.MIN_VALUE : Instant.parse(timestamp).toEpochMilli();
  }
}
