package io.orchestrator.bench;

import io.orchestrator.auth.TokenMinter;
import io.orchestrator.bench.BenchKit.Api;
import io.orchestrator.bench.OpenLoad.Answer;
import io.orchestrator.fixtures.FaultProxy;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.PrivateRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Store outages under load (DESIGN.md §12), with the faults and the services in this one process's control.
 *
 * <p>Starts a private redis-server with the shipped {@code redis/redis.conf} (AOF, appendfsync everysec), a
 * {@link FaultProxy} in front of the machine's PostgreSQL, a recording function server, and {@code instances}
 * service processes (roles api,worker) that reach PostgreSQL only through the proxy. One function and one on-demand
 * orchestration: compute "a" → delay "wait" ({@code delayMs}) → compute "b". After a warm-up of
 * {@code warmupSeconds} on a twin orchestration (not measured), triggers go open-loop at {@code rate}/s
 * round-robin over the instances ({@link OpenLoad}) through the timeline: {@code steadySeconds} steady → Redis killed
 * with SIGKILL and restarted at once (it replays its AOF) → {@code steadySeconds} → PostgreSQL refused by the proxy
 * for {@code pgCutSeconds} → {@code steadySeconds} → load stopped, then every acknowledged (201) run is awaited (at
 * most {@code finishSeconds}).
 *
 * <p>Figures: answers by status and error code per phase (phases split by the time a trigger was sent; 503 is an
 * honest "retry later", any other 5xx a failure); recovery per fault = the first 201 answered to a trigger sent after
 * the fault ended (Redis answering PING again; the proxy passing again) minus that end; runs lost / stuck / doubled
 * ({@link RunAudit}); wake-up lateness = arrival of a run's "b" call − arrival of its "a" call − delayMs, over the runs
 * whose delay fell due in a fault window (fault start .. end + 1 s) and over the others. Targets: no 5xx but 503, no
 * run lost / stuck / doubled, recovery ≤ 1 s, lateness of caught runs ≤ outage + 1 s.
 *
 * <p>{@code [--rate=500] [--delayMs=2000] [--warmupSeconds=30] [--steadySeconds=10] [--pgCutSeconds=10] [--instances=3]
 * [--maxInFlight=2000] [--finishSeconds=60] [--workspace=outage-…] [--pgUrl=$ORCH_PG_URL or
 * postgresql://postgres@127.0.0.1:5432/test] [--redisConf=redis/redis.conf] [--logDir=…]}. The workspace's
 * PostgreSQL rows are left for the caller to delete (bench/outage.sh does).
 */
public final class OutageBench {

  private static final String DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test";
  private static final long CAUGHT_GRACE_MS = 1_000;
  private static final long RECOVERY_TARGET_MS = 1_000;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  /** A stretch of the timeline, epoch ms; for a fault, start = fault injected and end = the store answers again. */
  record Window(String name, long startMs, long endMs) {
    long durationMs() {
      return endMs - startMs;
    }

    boolean holds(long ms) {
      return ms >= startMs && ms < endMs;
    }
  }

  public static void main(String[] argv) {
    int exit = 0;
    try {
      run(BenchKit.args(argv));
    } catch (RuntimeException | Error e) {
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  private static void run(Map<String, String> args) {
    int instances = BenchKit.integer(args, "instances", 3);
    int maxInFlight = BenchKit.integer(args, "maxInFlight", 2_000);
    String workspace = args.getOrDefault("workspace", "outage-" + hex(4));
    URI pg = URI.create(args.getOrDefault("pgUrl", System.getenv().getOrDefault("ORCH_PG_URL", DEFAULT_PG)));
    Path logDir = logDir(args);
    String secret = hex(24);
    Vertx vertx = BenchKit.vertx();
    try (PrivateRedis redis = PrivateRedis.start(Path.of(args.getOrDefault("redisConf", "redis/redis.conf")));
         FaultProxy proxy = FaultProxy.start(vertx, pg.getHost(), pg.getPort() < 0 ? 5432 : pg.getPort());
         FunctionServer fn = FunctionServer.start();
         ServiceFleet fleet = ServiceFleet.start(instances, serviceEnv(pg, proxy.port(), redis.url(), secret),
           logDir)) {
      phase("setup: private Redis %s (dir %s), PostgreSQL %s:%d behind proxy port %d, function server port %d",
        redis.url(), redis.dir(), pg.getHost(), pg.getPort(), proxy.port(), fn.port());
      for (int i = 0; i < instances; i++) {
        phase("service %d: pid %d, port %d, log %s", i + 1, fleet.pid(i), fleet.ports.get(i), fleet.logs.get(i));
      }
      String token = new TokenMinter(vertx, secret).mint("bench", List.of(workspace), 86_400);
      Api api = new Api(vertx, fleet.ports, workspace, token, maxInFlight / instances + 64);
      measure(args, vertx, api, redis, proxy, fn);
    }
  }

  private static void measure(Map<String, String> args, Vertx vertx, Api api, PrivateRedis redis, FaultProxy proxy,
                              FunctionServer fn) {
    int rate = BenchKit.integer(args, "rate", 500);
    int delayMs = BenchKit.integer(args, "delayMs", 2_000);
    int steadyMs = BenchKit.integer(args, "steadySeconds", 10) * 1000;
    int maxInFlight = BenchKit.integer(args, "maxInFlight", 2_000);
    warmUp(vertx, api, fn, rate, delayMs, maxInFlight, BenchKit.integer(args, "warmupSeconds", 30));
    String orchestrationId = api.createOrchestration("outage",
      steps(api.createFunction("outage-fn", fn.url("outage")), delayMs));
    phase("workspace %s, orchestration %s (a -> wait %d ms -> b); load %d triggers/s over %d instances, "
      + "at most %d in flight", api.workspace, orchestrationId, delayMs, rate, api.ports.size(), maxInFlight);

    OpenLoad load = new OpenLoad(vertx, api, orchestrationId, rate, maxInFlight);
    long loadStart = System.currentTimeMillis();
    load.start();
    phase("steady for %d s", steadyMs / 1000);
    ServiceFleet.sleep(steadyMs);
    Window redisFault = redisFault(redis);
    phase("steady for %d s", steadyMs / 1000);
    ServiceFleet.sleep(steadyMs);
    Window pgCut = pgCut(proxy, BenchKit.integer(args, "pgCutSeconds", 10));
    phase("steady for %d s", steadyMs / 1000);
    ServiceFleet.sleep(steadyMs);
    long loadEnd = System.currentTimeMillis();
    BenchKit.await(load.stop(), 60);
    phase("load stopped: %d triggers due, %d skipped at the in-flight cap; awaiting the acknowledged runs "
      + "(at most %s s)", load.sent(), load.skipped(), args.getOrDefault("finishSeconds", "60"));

    List<Answer> answers = load.answers();
    RunAudit audit = new RunAudit();
    List<String> acknowledged = answers.stream().filter(a -> a.status() == 201 && a.runId() != null)
      .map(Answer::runId).toList();
    audit.awaitFinished(api, orchestrationId, acknowledged,
      System.currentTimeMillis() + BenchKit.integer(args, "finishSeconds", 60) * 1000L);
    audit.addCalls(fn.calls("outage"));
    phase("audit done");

    List<Window> phases = List.of(new Window("steady-1", loadStart, redisFault.startMs()), redisFault,
      new Window("steady-2", redisFault.endMs(), pgCut.startMs()), pgCut,
      new Window("steady-3", pgCut.endMs(), loadEnd), new Window("after-load", loadEnd, System.currentTimeMillis()),
      new Window("total", loadStart, System.currentTimeMillis()));
    report(answers, phases, List.of(redisFault, pgCut), audit, delayMs);
  }

  private static JsonArray steps(String functionId, int delayMs) {
    return new JsonArray().add(BenchKit.compute("a", functionId, "wait"))
      .add(BenchKit.delay("wait", delayMs, "b")).add(BenchKit.compute("b", functionId, null));
  }

  /**
   * The same load on a twin orchestration with its own function, not measured, then its runs drained (at most
   * 60 s): cold service JVMs on a small host otherwise fall behind for tens of seconds while the JIT compiles.
   */
  private static void warmUp(Vertx vertx, Api api, FunctionServer fn, int rate, int delayMs, int maxInFlight,
                             int seconds) {
    if (seconds == 0) {
      return;
    }
    String warm = api.createOrchestration("outage-warmup",
      steps(api.createFunction("warmup-fn", fn.url("warmup")), delayMs));
    phase("warm-up: %d s at %d triggers/s on orchestration %s (not measured)", seconds, rate, warm);
    OpenLoad load = new OpenLoad(vertx, api, warm, rate, maxInFlight);
    load.start();
    ServiceFleet.sleep(seconds * 1000L);
    BenchKit.await(load.stop(), 60);
    long acknowledged = load.answers().stream().filter(a -> a.status() == 201).count();
    long deadline = System.currentTimeMillis() + 60_000;
    while (fn.calls("warmup").size() < 2 * acknowledged && System.currentTimeMillis() < deadline) {
      ServiceFleet.sleep(250);
    }
    phase("warm-up done: %d of %d triggers acknowledged; %d function calls (2 per run when all finished)",
      acknowledged, load.answers().size(), fn.calls("warmup").size());
  }

  /** SIGKILL, then restart at once on the same AOF; the fault ends when Redis answers PING again. */
  private static Window redisFault(PrivateRedis redis) {
    long start = System.currentTimeMillis();
    phase("Redis fault: SIGKILL");
    redis.kill();
    phase("Redis killed; restarting from its AOF");
    redis.restart();
    long end = System.currentTimeMillis();
    phase("Redis answers PING again, %d ms after the kill", end - start);
    return new Window("redis-restart", start, end);
  }

  /** The proxy refuses every PostgreSQL connection for {@code seconds}, then passes again. */
  private static Window pgCut(FaultProxy proxy, int seconds) {
    long start = System.currentTimeMillis();
    phase("PostgreSQL cut: proxy refuses for %d s", seconds);
    proxy.refuse();
    ServiceFleet.sleep(Math.max(0, start + seconds * 1000L - System.currentTimeMillis()));
    proxy.pass();
    long end = System.currentTimeMillis();
    phase("PostgreSQL back: proxy passes again (cut lasted %d ms)", end - start);
    return new Window("pg-cut", start, end);
  }

  private static void report(List<Answer> answers, List<Window> phases, List<Window> faults, RunAudit audit,
                             int delayMs) {
    BenchKit.out("--- answers by status and error code, by the phase the trigger was sent in; function calls a/b "
      + "arrived in the phase");
    for (Window w : phases) {
      boolean total = w.name().equals("total");
      List<Answer> in = answers.stream().filter(a -> total || w.holds(a.sentMs())).toList();
      BenchKit.out("%-13s %6.1f s  %s; calls a=%d b=%d", w.name(), w.durationMs() / 1000.0, byStatus(in),
        audit.arrivals("a").stream().filter(t -> total || w.holds(t)).count(),
        audit.arrivals("b").stream().filter(t -> total || w.holds(t)).count());
    }
    long failures = answers.stream().filter(a -> a.status() >= 500 && a.status() != 503).count();

    BenchKit.out("--- recovery: first 201 answered to a trigger sent after the fault ended");
    Map<String, Long> recovery = new LinkedHashMap<>();
    for (Window f : faults) {
      long first = answers.stream().filter(a -> a.status() == 201 && a.sentMs() >= f.endMs())
        .mapToLong(Answer::answeredMs).min().orElse(-1);
      recovery.put(f.name(), first < 0 ? -1 : first - f.endMs());
      BenchKit.out("%-13s outage %d ms (%s .. %s), recovery %s", f.name(), f.durationMs(), time(f.startMs()),
        time(f.endMs()), first < 0 ? "never" : (first - f.endMs()) + " ms");
    }

    BenchKit.out("--- runs");
    List<String> lost = audit.lost();
    List<String> stuck = audit.stuck();
    List<String> doubled = audit.doubled();
    BenchKit.out("acknowledged %d; final states %s", audit.lastState.size(), audit.states());
    BenchKit.out("lost %d, stuck %d, doubled %d; function calls repeating a key (retried attempts) %d; runs "
      + "executed that no 201 acknowledged %d", lost.size(), stuck.size(), doubled.size(), audit.repeatedCalls(),
      audit.unacknowledgedRuns());
    examples("lost", lost, audit);
    examples("stuck", stuck, audit);
    examples("doubled", doubled, audit);

    BenchKit.out("--- wake-up lateness ms (b call − a call − %d ms), by when the delay fell due", delayMs);
    Map<String, List<Long>> lateness = lateness(audit, faults, delayMs);
    boolean latenessMet = true;
    for (Map.Entry<String, List<Long>> e : lateness.entrySet()) {
      long[] values = BenchKit.toArray(e.getValue());
      BenchKit.out("%-13s %s", e.getKey(), BenchKit.summary(values));
      Window fault = faults.stream().filter(f -> f.name().equals(e.getKey())).findFirst().orElse(null);
      if (fault != null && values.length > 0 && values[values.length - 1] > fault.durationMs() + 1000) {
        latenessMet = false;
      }
    }

    boolean recoveryMet = recovery.values().stream().allMatch(ms -> ms >= 0 && ms <= RECOVERY_TARGET_MS);
    BenchKit.out("--- targets: 0 × 500 [%s: %d], 0 lost/stuck/doubled [%s: %d/%d/%d], recovery ≤ 1 s [%s: %s], "
        + "lateness ≤ outage + 1 s [%s]", met(failures == 0), failures,
      met(lost.isEmpty() && stuck.isEmpty() && doubled.isEmpty()), lost.size(), stuck.size(), doubled.size(),
      met(recoveryMet), recovery, met(latenessMet));
    BenchKit.out("RESULT outage triggers=%d 5xx_not_503=%d lost=%d stuck=%d doubled=%d recovery_ms=%s", answers.size(),
      failures, lost.size(), stuck.size(), doubled.size(), recovery);
  }

  /** "201=n 503 unavailable=n 500 internal_error=n connection error X=n …". */
  private static String byStatus(List<Answer> answers) {
    Map<String, Long> counts = answers.stream().collect(Collectors.groupingBy(a -> switch (a.status()) {
      case 201 -> "201";
      case OpenLoad.CONNECTION_ERROR -> "connection-error " + a.code();
      case OpenLoad.NO_ANSWER -> "no-answer-30s";
      default -> a.status() + (a.code() == null ? "" : " " + a.code());
    }, TreeMap::new, Collectors.counting()));
    return "sent " + answers.size() + ": " + counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
      .collect(Collectors.joining(", "));
  }

  /** Lateness per fault whose window (start .. end + 1 s) holds the run's due time, else under "others". */
  private static Map<String, List<Long>> lateness(RunAudit audit, List<Window> faults, int delayMs) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    faults.forEach(f -> out.put(f.name(), new ArrayList<>()));
    out.put("others", new ArrayList<>());
    audit.aThenB().values().forEach(ab -> {
      long due = ab[0] + delayMs;
      String group = faults.stream().filter(f -> due >= f.startMs() && due <= f.endMs() + CAUGHT_GRACE_MS)
        .map(Window::name).findFirst().orElse("others");
      out.get(group).add(ab[1] - due);
    });
    out.values().forEach(list -> list.sort(null));
    return out;
  }

  private static void examples(String what, List<String> runIds, RunAudit audit) {
    runIds.stream().limit(5).forEach(id -> BenchKit.out("  %s: %s state %s executedSteps %s calls %s", what, id,
      audit.lastState.get(id), audit.executedSteps.get(id), audit.calls.getOrDefault(id, Map.of()).entrySet()
        .stream().map(e -> e.getKey() + "×" + e.getValue().count + " keys " + e.getValue().keys)
        .collect(Collectors.joining("; "))));
  }

  private static Map<String, String> serviceEnv(URI pg, int proxyPort, String redisUrl, String secret) {
    String proxied = pg.getScheme() + "://" + (pg.getRawUserInfo() == null ? "" : pg.getRawUserInfo() + "@")
      + "127.0.0.1:" + proxyPort + pg.getRawPath() + (pg.getRawQuery() == null ? "" : "?" + pg.getRawQuery());
    return Map.of("ORCH_PG_URL", proxied, "ORCH_REDIS_URL", redisUrl, "ORCH_JWT_SECRET", secret,
      "ORCH_REDIS_PREFIX", "outage" + hex(4), "ORCH_HTTP_HOST", "127.0.0.1", "ORCH_HTTP_PORT", "0",
      "ORCH_ROLES", "api,worker", "ORCH_LOG_LEVEL", "INFO", "ORCH_HTTP_INSTANCES", "1");
  }

  private static Path logDir(Map<String, String> args) {
    try {
      return args.containsKey("logDir") ? Path.of(args.get("logDir"))
        : Files.createTempDirectory("orch-outage-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static String met(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static String time(long epochMs) {
    return LocalTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneId.systemDefault()).format(CLOCK);
  }

  private static void phase(String format, Object... args) {
    BenchKit.out("[" + time(System.currentTimeMillis()) + "] " + format, args);
  }
}
