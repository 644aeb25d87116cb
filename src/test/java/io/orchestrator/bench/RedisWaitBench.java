package io.orchestrator.bench;

import io.orchestrator.fixtures.PrivateRedis;
import io.orchestrator.fixtures.PrivateRedisCluster;
import io.orchestrator.fixtures.PrivateRedisCluster.Node;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code WAIT 1 <timeout>} after every acknowledged write would cost on a Redis Cluster: 64 closed-loop writers
 * each send a run-sized script (HSET of a ~1 KB run hash, ZADD into a ready queue and an index: the writes of
 * {@code createRun-8.lua}), either alone or followed by {@code WAIT 1 100} on the same connection (WAIT counts the
 * replicas that acknowledged that connection's writes, so it must follow the write on its connection; a cluster
 * client would send the keyless WAIT to any node). Phases alternate, without and with WAIT, so drift of a shared
 * host hits both alike. Latency: from sending the write to its reply, or to WAIT's reply; throughput: writes answered
 * per second of the phase.
 *
 * <p>Each writer has a hash tag of its own, {@code {wait:w<i>}}, and a dedicated connection to the master of that
 * tag's slot, so the writers spread over the three masters as a partitioned engine's would. The cluster is a private
 * one ({@link PrivateRedisCluster}: 3 masters, 3 replicas, {@code redis/redis.conf}: AOF everysec) started here and
 * killed at the end. Run hashes cycle over {@code keysPerWriter} ids, so memory stays bounded.
 *
 * <p>{@code [--writers=64] [--seconds=10] [--rounds=2] [--warmupSeconds=10] [--payloadBytes=900]
 * [--waitTimeoutMs=100] [--keysPerWriter=1000]}
 */
public final class RedisWaitBench {

  private static final String SCRIPT = "redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'pending', "
    + "'startedAt', ARGV[2], 'orchestrationId', 'orch_01jbenchwaitorchestration0', 'input', ARGV[3]) "
    + "redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1]) return 1";

  private record Phase(String name, boolean waitAfterWrite, int round) {
  }

  private record Result(long writes, long waitShort, long errors, List<Long> latenciesNs, double seconds,
                        String cpuPerWrite) {
  }

  private final Vertx vertx = BenchKit.vertx();
  private final List<Writer> writers = new ArrayList<>();
  private final int seconds;
  private final int waitTimeoutMs;
  private final String payload;
  private final int keysPerWriter;
  private BenchKit.CpuProbe cpu;

  private RedisWaitBench(Map<String, String> args) {
    this.seconds = BenchKit.integer(args, "seconds", 10);
    this.waitTimeoutMs = BenchKit.integer(args, "waitTimeoutMs", 100);
    this.payload = "x".repeat(BenchKit.integer(args, "payloadBytes", 900));
    this.keysPerWriter = BenchKit.integer(args, "keysPerWriter", 1000);
  }

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    if (!PrivateRedisCluster.available()) {
      throw new IllegalStateException("redis-server and redis-cli are needed for the private cluster");
    }
    try (PrivateRedisCluster cluster = PrivateRedisCluster.start(Path.of("redis/redis.conf"),
      Duration.ofMillis(5000))) {
      new RedisWaitBench(args).run(cluster, args);
    }
    System.exit(0);
  }

  private void run(PrivateRedisCluster cluster, Map<String, String> args) {
    int count = BenchKit.integer(args, "writers", 64);
    BenchKit.out("private cluster %s: masters %s, each with one replica; %d writers, %d s per phase, WAIT 1 %d",
      cluster, cluster.masters().stream().map(Node::address).toList(), count, seconds, waitTimeoutMs);
    cpu = new BenchKit.CpuProbe(cpuGroups(cluster));
    String sha = null;
    for (Node master : cluster.masters()) {
      sha = cluster.node(master.address()).text("SCRIPT", "LOAD", SCRIPT);
    }
    for (int i = 0; i < count; i++) {
      String tag = "{wait:w" + i + "}";
      PrivateRedis first = cluster.nodes().get(0);
      int slot = Integer.parseInt(first.text("CLUSTER", "KEYSLOT", tag));
      Node owner = cluster.masters().stream().filter(m -> m.owns(slot)).findFirst().orElseThrow();
      RedisConnection conn = BenchKit.await(Redis.createClient(vertx, "redis://" + owner.address()).connect());
      writers.add(new Writer(conn, tag, sha));
    }
    report(new Phase("warm-up", false, 0), BenchKit.integer(args, "warmupSeconds", 10));
    List<Result> without = new ArrayList<>();
    List<Result> with = new ArrayList<>();
    for (int round = 1; round <= BenchKit.integer(args, "rounds", 2); round++) {
      without.add(report(new Phase("no-wait", false, round), seconds));
      with.add(report(new Phase("wait", true, round), seconds));
    }
    summary(without, with);
  }

  private Result report(Phase phase, int secs) {
    Result r = measure(phase, secs);
    long[] ns = BenchKit.toArray(r.latenciesNs());
    Arrays.sort(ns);
    BenchKit.out("RESULT redis-wait phase=%s round=%d writes=%d writes_per_s=%.0f p50_ms=%.3f p99_ms=%.3f "
        + "max_ms=%.3f wait_fewer_than_1_replica=%d errors=%d; CPU ms per write: %s", phase.name(), phase.round(),
      r.writes(), r.writes() / r.seconds(), ms(BenchKit.pct(ns, 50)), ms(BenchKit.pct(ns, 99)), ms(ns.length == 0
        ? 0 : ns[ns.length - 1]), r.waitShort(), r.errors(), r.cpuPerWrite());
    return r;
  }

  private void summary(List<Result> without, List<Result> with) {
    double[] a = totals(without);
    double[] b = totals(with);
    BenchKit.out("SUMMARY redis-wait without WAIT: %.0f writes/s, p50 %.3f ms, p99 %.3f ms; with WAIT 1 %d: %.0f "
        + "writes/s, p50 %.3f ms, p99 %.3f ms (%d WAIT replies counted fewer than 1 replica); with/without: "
        + "throughput %.2fx, p50 %.2fx, p99 %.2fx", a[0], a[1], a[2], waitTimeoutMs, b[0], b[1], b[2],
      with.stream().mapToLong(Result::waitShort).sum(), b[0] / a[0], b[1] / a[1], b[2] / a[2]);
  }

  /** {writes/s over all rounds, p50 ms, p99 ms of every sample of those rounds}. */
  private static double[] totals(List<Result> results) {
    long writes = results.stream().mapToLong(Result::writes).sum();
    double secs = results.stream().mapToDouble(Result::seconds).sum();
    long[] ns = BenchKit.toArray(results.stream().flatMap(r -> r.latenciesNs().stream()).toList());
    Arrays.sort(ns);
    return new double[] {writes / secs, ms(BenchKit.pct(ns, 50)), ms(BenchKit.pct(ns, 99))};
  }

  /** Runs every writer closed-loop for {@code secs}, then waits for the writes in flight. */
  private Result measure(Phase phase, int secs) {
    var before = cpu.snapshot();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(secs).toNanos();
    List<Future<Void>> done = writers.stream().map(w -> w.start(phase.waitAfterWrite(), end)).toList();
    BenchKit.await(Future.all(done), secs + 60L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> latencies = new ArrayList<>();
    long short1 = 0;
    long errors = 0;
    for (Writer w : writers) {
      latencies.addAll(w.latencies);
      short1 += w.waitShort;
      errors += w.errors;
    }
    return new Result(latencies.size(), short1, errors, latencies, elapsed,
      BenchKit.CpuProbe.perRun(before, cpu.snapshot(), latencies.size()));
  }

  /** "masters:pid+pid+pid,replicas:…,bench:<this JVM>" for the CPU figures. */
  private static String cpuGroups(PrivateRedisCluster cluster) {
    List<String> masters = cluster.masters().stream().map(Node::address).toList();
    String masterPids = cluster.nodes().stream().filter(n -> masters.contains(n.address()))
      .map(n -> Long.toString(n.pid())).collect(Collectors.joining("+"));
    String replicaPids = cluster.nodes().stream().filter(n -> !masters.contains(n.address()))
      .map(n -> Long.toString(n.pid())).collect(Collectors.joining("+"));
    return "masters:" + masterPids + ",replicas:" + replicaPids + ",bench:" + ProcessHandle.current().pid();
  }

  private static double ms(long ns) {
    return ns / 1e6;
  }

  /** One closed-loop writer on its own connection; its fields are touched only by its connection's callbacks. */
  private final class Writer {
    private final RedisConnection conn;
    private final String tag;
    private final String sha;
    private List<Long> latencies = new ArrayList<>();
    private long waitShort;
    private long errors;
    private long n;

    Writer(RedisConnection conn, String tag, String sha) {
      this.conn = conn;
      this.tag = tag;
      this.sha = sha;
    }

    Future<Void> start(boolean waitAfterWrite, long endNanos) {
      latencies = new ArrayList<>();
      waitShort = 0;
      errors = 0;
      Promise<Void> finished = Promise.promise();
      next(waitAfterWrite, endNanos, finished);
      return finished.future();
    }

    private void next(boolean waitAfterWrite, long endNanos, Promise<Void> finished) {
      long t0 = System.nanoTime();
      if (t0 >= endNanos) {
        finished.complete();
        return;
      }
      String id = String.format(Locale.ROOT, "run_%s_%06d", tag.substring(1, tag.length() - 1).replace(':', '_'),
        n++ % keysPerWriter);
      Request write = Request.cmd(Command.EVALSHA).arg(sha).arg(3).arg(tag + ":run:" + id).arg(tag + ":ready")
        .arg(tag + ":idx").arg(id).arg(System.currentTimeMillis()).arg(payload);
      Future<Response> reply = conn.send(write);
      if (waitAfterWrite) {
        reply = reply.compose(r -> conn.send(Request.cmd(Command.WAIT).arg(1).arg(waitTimeoutMs)))
          .onSuccess(acks -> waitShort += acks.toInteger() < 1 ? 1 : 0);
      }
      reply.onComplete(ar -> {
        if (ar.succeeded()) {
          latencies.add(System.nanoTime() - t0);
        } else {
          errors++;
        }
        next(waitAfterWrite, endNanos, finished);
      });
    }
  }
}
