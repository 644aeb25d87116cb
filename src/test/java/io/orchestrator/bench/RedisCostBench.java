package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.orchestrator.common.Partitions;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Redis CPU per unit of work (bench/redis-cost.sh): the CPU time (INFO cpu, user + sys) and per-command time (INFO
 * commandstats) every Redis master spent between two snapshots, divided by the units of work done in between. Before
 * each workload the service sits idle for {@code --idleSeconds} and that idle rate (its poll loops over every
 * partition) is printed and subtracted ("net").
 *
 * <p>Workloads ({@code --figure=}): {@code run} 3-step runs (compute → decision → compute on the no-op function
 * server, as E2eBench; measured until every run is completed and its history written, i.e. the partitions'
 * unarchived lists are empty); {@code trigger} runs only created (start the service with ORCH_ROLES=api); {@code
 * wakeup} one-step delay runs: measured from "all parked in the timer queues" until "all completed and archived", so
 * a unit is one wake-up, its completion inside the claim script and its history write; {@code task} runs of one
 * worker-task step: measured from "every task queued" until "every run completed and archived", so a unit is a task
 * polled, completed, its run resumed, finished and archived.
 *
 * <p>{@code --ports=… --token=… --workspace=… --nodes=host:port,… (the masters) --redisUrl=… [--cluster]
 * --prefix=… --partitions=16 --eventStream=… --figure=run|trigger|wakeup|task [--units=20000] [--warmup=10000]
 * [--idleSeconds=5] [--label=single] [--concurrency=64]}
 */
public final class RedisCostBench {

  private static final Buffer BODY = Buffer.buffer("{\"input\":{\"orderId\":42,\"amount\":99.5}}");
  /** Trigger requests in flight ({@code --concurrency}, default 64). */
  private static int concurrency = 64;

  public static void main(String[] argv) {
    try {
      measure(BenchKit.args(argv));
    } catch (Exception | Error e) {
      // the Vert.x threads would keep the JVM (and the calling script) alive after a failed main thread
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void measure(Map<String, String> args) throws Exception {
    Vertx vertx = BenchKit.vertx();
    String label = args.getOrDefault("label", "redis");
    Api api = new Api(vertx, BenchKit.ports(args), BenchKit.need(args, "workspace"), BenchKit.need(args, "token"),
      160);
    Nodes nodes = new Nodes(vertx, List.of(BenchKit.need(args, "nodes").split(",")));
    Keyspace keyspace = new Keyspace(BenchKit.need(args, "prefix"),
      new Partitions(BenchKit.integer(args, "partitions", Partitions.DEFAULT)), BenchKit.need(args, "eventStream"));
    Redis redis = keyClient(vertx, BenchKit.need(args, "redisUrl"), args.containsKey("cluster"));
    Queues queues = new Queues(redis, keyspace);
    String figure = BenchKit.need(args, "figure");
    concurrency = BenchKit.integer(args, "concurrency", 64);
    int units = BenchKit.integer(args, "units", 20_000);
    int warmup = BenchKit.integer(args, "warmup", 10_000);
    int idleSeconds = BenchKit.integer(args, "idleSeconds", 5);
    String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
    BenchKit.out("redis-cost %s figure=%s units=%d partitions=%d masters=%s", label, figure, units,
      keyspace.partitions().count(), nodes.addresses);
    if (args.containsKey("cluster")) {
      BenchKit.out("partitions per master: %s", nodes.partitionsPerNode(keyspace));
    }

    Workload load = switch (figure) {
      case "run" -> runs(vertx, api, queues, tag, units, warmup);
      case "trigger" -> triggers(vertx, api, tag, units, warmup);
      case "wakeup" -> wakeUps(vertx, api, queues, tag, units, warmup);
      case "task" -> tasks(vertx, api, queues, args, tag, units);
      default -> throw new IllegalArgumentException("--figure=run|trigger|wakeup|task, got " + figure);
    };
    load.prepare.get();
    Snapshot idle0 = nodes.snapshot();
    Thread.sleep(idleSeconds * 1000L);
    Snapshot idle1 = nodes.snapshot();
    Snapshot before = nodes.snapshot();
    BenchKit.await(load.measured.get(), 1800);
    Snapshot after = nodes.snapshot();
    report(label, figure, units, nodes, idle0, idle1, before, after);
  }

  /** What a workload does before the idle baseline (set-up, warm-up, parking) and in the measured window. */
  private record Workload(Supplier<Void> prepare, Supplier<Future<Void>> measured) {
  }

  private static Workload runs(Vertx vertx, Api api, Queues queues, String tag, int units, int warmup) {
    NoopFunctionServer fn = NoopFunctionServer.start(vertx, 1, false);
    String functionId = api.createFunction("noop-" + tag, fn.url());
    JsonArray steps = new JsonArray().add(BenchKit.compute("validate", functionId, "check"))
      .add(BenchKit.decisionOkThen("check", "steps.validate.output.ok", "fulfill"))
      .add(BenchKit.compute("fulfill", functionId, null));
    String measured = api.createOrchestration("cost-run-" + tag, steps);
    return new Workload(() -> {
      if (warmup > 0) {
        E2eBench.Phase w = new E2eBench.Phase(vertx, api, api.createOrchestration("cost-warm-" + tag, steps), warmup,
          concurrency, 600, 100);
        BenchKit.await(w.start().compose(v -> queues.until(vertx, "warm-up archived", Queues::drained)));
        BenchKit.out("warm-up: %d runs (%d failed) in %d ms", w.accepted, w.failed, w.elapsedMs());
      }
      return null;
    }, () -> {
      E2eBench.Phase m = new E2eBench.Phase(vertx, api, measured, units, concurrency, 600, 100);
      return m.start().onSuccess(v -> BenchKit.out("measured: %d runs completed, %d failed, in %d ms (%.0f runs/s)",
          m.completed, m.failed, m.elapsedMs(), m.accepted * 1000.0 / m.elapsedMs()))
        .compose(v -> queues.until(vertx, "archived", Queues::drained));
    });
  }

  private static Workload triggers(Vertx vertx, Api api, String tag, int units, int warmup) {
    String orchestration = api.createOrchestration("cost-trigger-" + tag,
      new JsonArray().add(BenchKit.delay("wait", 3_600_000, null)));
    return new Workload(() -> {
      BenchKit.await(trigger(vertx, api, orchestration, warmup));
      return null;
    }, () -> trigger(vertx, api, orchestration, units));
  }

  private static Workload wakeUps(Vertx vertx, Api api, Queues queues, String tag, int units, int warmup) {
    String warm = api.createOrchestration("cost-wake-warm-" + tag,
      new JsonArray().add(BenchKit.delay("wait", 1_000, null)));
    long delayMs = 90_000;
    String measured = api.createOrchestration("cost-wake-" + tag,
      new JsonArray().add(BenchKit.delay("wait", delayMs, null)));
    long[] firstTrigger = new long[1];
    return new Workload(() -> {
      BenchKit.await(trigger(vertx, api, warm, warmup).compose(v -> queues.until(vertx, "warm-up", Queues::drained)));
      firstTrigger[0] = System.currentTimeMillis();
      BenchKit.await(trigger(vertx, api, measured, units)
        .compose(v -> queues.until(vertx, "all parked", q -> q.timers == units && q.ready == 0 && q.leases == 0)));
      long left = firstTrigger[0] + delayMs - System.currentTimeMillis();
      BenchKit.out("%d runs parked; the first falls due in %d ms", units, left);
      if (left < 15_000) {
        throw new IllegalStateException("parking took too long: the idle baseline would overlap the wake-ups");
      }
      return null;
    }, () -> queues.until(vertx, "all woken and archived", q -> q.timers == 0 && q.drained()));
  }

  private static Workload tasks(Vertx vertx, Api api, Queues queues, Map<String, String> args, String tag,
                                int units) {
    String queue = "cost-" + tag;
    String function = BenchKit.await(api.json(HttpMethod.POST, api.port(0), "/functions", new JsonObject()
      .put("name", "worker " + tag).put("runtime", "worker").put("queue", queue))).getString("id");
    String orchestration = api.createOrchestration("cost-task-" + tag,
      new JsonArray().add(new JsonObject().put("id", "work").put("type", "compute").put("functionId", function)));
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    List<WorkerTaskBench.PollLoop> workers = new ArrayList<>();
    for (int i = 0; i < BenchKit.integer(args, "workers", 2); i++) {
      workers.add(new WorkerTaskBench.PollLoop(Vertx.vertx(), Map.of("port", String.valueOf(api.port(0)),
        "workspace", api.workspace, "token", BenchKit.need(args, "token"), "queue", queue, "max", "50",
        "wait-ms", "1000"), line -> {
          if (line.startsWith("C ")) {
            completed.incrementAndGet();
          } else if (line.startsWith("E ") && errors.incrementAndGet() <= 5) {
            BenchKit.out("worker: %s", line);
          }
        }));
    }
    return new Workload(() -> {
      BenchKit.await(trigger(vertx, api, orchestration, units)
        .compose(v -> queues.until(vertx, "all tasks queued", q -> q.ready == 0 && q.leases == 0
          && queues.tasksQueued(api.workspace, queue) == units)));
      return null;
    }, () -> {
      workers.forEach(WorkerTaskBench.PollLoop::start);
      return queues.until(vertx, "all tasks completed, runs archived", q -> completed.get() >= units && q.drained())
        .onComplete(v -> {
          workers.forEach(w -> BenchKit.out("worker: %s", w.stop()));
          BenchKit.out("tasks completed: %d, errors %d", completed.get(), errors.get());
        });
    });
  }

  /** Sends {@code n} triggers, at most {@link #concurrency} in flight; fails when any is not 201. */
  private static Future<Void> trigger(Vertx vertx, Api api, String orchestration, int n) {
    Promise<Void> done = Promise.promise();
    if (n == 0) {
      return Future.succeededFuture();
    }
    long t0 = System.nanoTime();
    int[] state = new int[3]; // next, finished, rejected
    vertx.runOnContext(v -> {
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (state[0] < n && state[0] - state[1] < concurrency) {
          int i = state[0]++;
          api.send(HttpMethod.POST, api.port(i), "/orchestrations/" + orchestration + "/trigger", BODY)
            .onComplete(ar -> {
              state[1]++;
              if (ar.failed() || ar.result().statusCode() != 201) {
                state[2]++;
              }
              if (state[1] == n) {
                BenchKit.out("triggered %d runs in %.1f s (%d not accepted)", n, (System.nanoTime() - t0) / 1e9,
                  state[2]);
                if (state[2] == 0) {
                  done.complete();
                } else {
                  done.fail(state[2] + " triggers not accepted");
                }
              } else {
                pump[0].run();
              }
            });
        }
      };
      pump[0].run();
    });
    return done.future();
  }

  private static void report(String label, String figure, int units, Nodes nodes, Snapshot idle0, Snapshot idle1,
                             Snapshot before, Snapshot after) {
    double idleSeconds = (idle1.nanos - idle0.nanos) / 1e9;
    double seconds = (after.nanos - before.nanos) / 1e9;
    BenchKit.out("measured window %.1f s; idle baseline %.1f s", seconds, idleSeconds);
    double sumRaw = 0;
    double sumNet = 0;
    Map<String, double[]> commands = new HashMap<>();
    for (String node : nodes.addresses) {
      double idleRate = (idle1.cpuMs.get(node) - idle0.cpuMs.get(node)) / idleSeconds;
      double raw = after.cpuMs.get(node) - before.cpuMs.get(node);
      double net = raw - idleRate * seconds;
      sumRaw += raw;
      sumNet += net;
      BenchKit.out("RESULT redis-cost setup=%s figure=%s node=%s units=%d cpu_ms=%.0f idle_ms_per_s=%.2f "
        + "net_cpu_ms=%.0f net_ms_per_unit=%.4f raw_ms_per_unit=%.4f", label, figure, node, units, raw, idleRate,
        net, net / units, raw / units);
      after.commands.get(node).forEach((cmd, cu) -> {
        long[] was = before.commands.get(node).getOrDefault(cmd, new long[2]);
        double[] sum = commands.computeIfAbsent(cmd, k -> new double[2]);
        sum[0] += cu[0] - was[0];
        sum[1] += cu[1] - was[1];
      });
    }
    BenchKit.out("RESULT redis-cost setup=%s figure=%s node=sum units=%d cpu_ms=%.0f net_cpu_ms=%.0f "
      + "net_ms_per_unit=%.4f raw_ms_per_unit=%.4f", label, figure, units, sumRaw, sumNet, sumNet / units,
      sumRaw / units);
    StringBuilder top = new StringBuilder();
    commands.entrySet().stream().filter(e -> e.getValue()[0] > 0)
      .sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).limit(12)
      .forEach(e -> top.append(String.format(Locale.ROOT,
        "%n  %-22s calls/unit %7.2f  usec/unit %8.2f  usec/call %6.2f", e.getKey(), e.getValue()[0] / units,
        e.getValue()[1] / units, e.getValue()[1] / e.getValue()[0])));
    double usecAll = commands.values().stream().mapToDouble(v -> v[1]).sum();
    BenchKit.out("commandstats over all masters (window incl. the bench's own reads; evalsha's time includes the "
      + "commands its scripts call, listed too), %.1f usec/unit in commands:%s",
      usecAll / units, top);
  }

  /** The masters whose CPU is read. */
  private static final class Nodes {
    final List<String> addresses;
    final Map<String, Redis> clients = new LinkedHashMap<>();

    Nodes(Vertx vertx, List<String> addresses) {
      this.addresses = addresses;
      addresses.forEach(a -> clients.put(a, Redis.createClient(vertx, "redis://" + a)));
    }

    Snapshot snapshot() {
      Snapshot s = new Snapshot();
      clients.forEach((node, redis) -> {
        String cpu = BenchKit.await(redis.send(Request.cmd(Command.INFO).arg("cpu"))).toString();
        String stats = BenchKit.await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
        double ms = 0;
        for (String line : cpu.split("\r?\n")) {
          if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
            ms += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) * 1000;
          }
        }
        Map<String, long[]> cmds = new HashMap<>();
        for (String line : stats.split("\r?\n")) {
          if (line.startsWith("cmdstat_")) {
            String name = line.substring(8, line.indexOf(':'));
            long calls = 0;
            long usec = 0;
            for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
              if (kv.startsWith("calls=")) {
                calls = Long.parseLong(kv.substring(6));
              } else if (kv.startsWith("usec=")) {
                usec = Long.parseLong(kv.substring(5));
              }
            }
            cmds.put(name, new long[] {calls, usec});
          }
        }
        s.cpuMs.put(node, ms);
        s.commands.put(node, cmds);
      });
      s.nanos = System.nanoTime();
      return s;
    }

    /** "host:port=partitions" for a cluster: each partition's slot (CLUSTER KEYSLOT) in CLUSTER SLOTS' ranges. */
    String partitionsPerNode(Keyspace keyspace) {
      Redis any = clients.values().iterator().next();
      Response slots = BenchKit.await(any.send(Request.cmd(Command.CLUSTER).arg("SLOTS")));
      Map<String, List<Integer>> byNode = new LinkedHashMap<>();
      addresses.forEach(a -> byNode.put(a, new ArrayList<>()));
      for (RedisKeys keys : keyspace.all()) {
        long slot = BenchKit.await(any.send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(keys.ready()))).toLong();
        for (Response range : slots) {
          if (slot >= range.get(0).toLong() && slot <= range.get(1).toLong()) {
            String node = range.get(2).get(0).toString() + ":" + range.get(2).get(1).toLong();
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(keys.partition());
          }
        }
      }
      StringBuilder counts = new StringBuilder();
      StringBuilder lists = new StringBuilder();
      byNode.forEach((node, parts) -> {
        counts.append(node).append('=').append(parts.size()).append(' ');
        lists.append(node).append(' ').append(parts).append("; ");
      });
      return counts + "(" + lists.toString().trim() + ")";
    }
  }

  private static final class Snapshot {
    final Map<String, Double> cpuMs = new HashMap<>();
    final Map<String, Map<String, long[]>> commands = new HashMap<>();
    long nanos;
  }

  /** Sizes of the engine's queues summed over every partition. */
  private static final class Queues {
    private final Redis redis;
    private final Keyspace keyspace;
    long ready;
    long timers;
    long leases;
    long unarchived;

    Queues(Redis redis, Keyspace keyspace) {
      this.redis = redis;
      this.keyspace = keyspace;
    }

    boolean drained() {
      return ready == 0 && leases == 0 && unarchived == 0;
    }

    long tasksQueued(String workspace, String queue) {
      long n = 0;
      for (RedisKeys keys : keyspace.all()) {
        n += BenchKit.await(redis.send(Request.cmd(Command.ZCARD).arg(keys.taskQueue(workspace, queue)))).toLong();
      }
      return n;
    }

    private void read() {
      long r = 0;
      long t = 0;
      long l = 0;
      long u = 0;
      for (RedisKeys keys : keyspace.all()) {
        List<Response> replies = BenchKit.await(redis.batch(List.of(Request.cmd(Command.ZCARD).arg(keys.ready()),
          Request.cmd(Command.ZCARD).arg(keys.timers()), Request.cmd(Command.ZCARD).arg(keys.leases()),
          Request.cmd(Command.LLEN).arg(keys.unarchived()))));
        r += replies.get(0).toLong();
        t += replies.get(1).toLong();
        l += replies.get(2).toLong();
        u += replies.get(3).toLong();
      }
      ready = r;
      timers = t;
      leases = l;
      unarchived = u;
    }

    /** Completes once {@code condition} holds (checked every 250 ms on a worker thread); fails after 10 minutes. */
    Future<Void> until(Vertx vertx, String what, java.util.function.Predicate<Queues> condition) {
      return vertx.executeBlocking(() -> {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (true) {
          read();
          if (condition.test(this)) {
            return null;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + ": not reached in 10 minutes (ready " + ready + ", timers " + timers
              + ", leases " + leases + ", unarchived " + unarchived + ")");
          }
          Thread.sleep(250);
        }
      }, false);
    }
  }

  private static Redis keyClient(Vertx vertx, String url, boolean cluster) {
    RedisOptions options = new RedisOptions().setMaxPoolSize(8).setMaxPoolWaiting(10_000);
    if (cluster) {
      options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
      for (String seed : url.split(",")) {
        options.addConnectionString(seed.trim());
      }
    } else {
      options.setConnectionString(url);
    }
    return Redis.createClient(vertx, options);
  }
}
