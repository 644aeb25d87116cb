package io.orchestrator.store.redis;

import io.orchestrator.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one-time move of a single-tag deployment's Redis data ({@link Keyspace#legacy()}) into the partitioned layout
 * (DESIGN.md §11), run with every instance stopped. Each key goes to the partition the service looks in: a run (its
 * hash and its entries in the run queues, indexes and correlation indexes, scores and list order kept) to its id's,
 * an idempotency key to the key's, a worker task to its run's (re-minted with the run's partition digits when the
 * old random id names another partition, see {@link #taskIdFor}), a schedule to its orchestration id's, an event
 * id's dedupe entry to its name's; strings and hashes keep their remaining time to live. Rate-limit windows are
 * dropped (they restart).
 *
 * <p>Crash-safe and idempotent: every step writes the target before it deletes the source, and a re-run continues
 * from what is left (zset entries re-added with their scores; list entries pushed only when the target's tail does
 * not already end with them). The keys {@link PartitionCheck} looks for are moved last, so a service cannot start
 * on a half-migrated deployment; the meta hash is written at the end.
 */
public final class PartitionMigration {

  private static final int CHUNK = 500;
  private static final int PARALLEL_KEYS = 32;
  private static final List<String> RUN_QUEUES = List.of("ready", "timers", "leases", "expiry");

  private final Redis redis;
  private final Keyspace keyspace;
  private final String legacy;
  private final MigrationSummary summary = new MigrationSummary();

  public PartitionMigration(Redis redis, Keyspace keyspace) {
    this.redis = redis;
    this.keyspace = keyspace;
    this.legacy = keyspace.legacy().prefix();
  }

  /** Moves every legacy key; fails with a {@link ConfigException} when the data was migrated to another count. */
  public Future<MigrationSummary> run() {
    return checkMeta()
      .compose(v -> LegacyKeys.list(redis, keyspace))
      .compose(keys -> {
        List<String> taskZsets = new ArrayList<>();
        List<String> records = new ArrayList<>();
        keys.forEach(key -> (isTaskZset(suffix(key)) ? taskZsets : records).add(key));
        return each(taskZsets, this::moveTaskZset)
          .compose(v -> moveTaskQueueSet())
          .compose(v -> each(records, this::moveRecord))
          .compose(v -> moveZset(legacy + "schedules", "schedules", MigrationSummary.SCHEDULES,
            ids -> Future.succeededFuture(ids.stream().map(id -> new Placement(keyspace.ofName(id), id)).toList())))
          .compose(v -> each(RUN_QUEUES, queue -> moveZset(legacy + queue, queue, queue + " entries", this::byRunId)))
          .compose(v -> new UnarchivedMove(redis, keyspace, summary).run());
      })
      .compose(v -> redis.send(Request.cmd(Command.HSET).arg(keyspace.meta()).arg(PartitionCheck.FIELD)
        .arg(keyspace.partitions().count())))
      .map(summary);
  }

  private Future<Void> checkMeta() {
    return redis.send(Request.cmd(Command.HGET).arg(keyspace.meta()).arg(PartitionCheck.FIELD)).compose(stored -> {
      int configured = keyspace.partitions().count();
      if (stored == null || Integer.parseInt(stored.toString()) == configured) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new ConfigException("this deployment's Redis data is already partitioned with "
        + stored + " partitions but ORCH_PARTITIONS is " + configured + "; the count is fixed for the life of a "
        + "deployment: run with ORCH_PARTITIONS=" + stored));
    });
  }

  private String suffix(String key) {
    return key.substring(legacy.length());
  }

  private static boolean isTaskZset(String suffix) {
    return suffix.startsWith(RedisKeys.TASK_QUEUE) || suffix.equals("tleases");
  }

  /** A key of records keyed by one name: hashes and strings move whole, indexes split by run; queues come later. */
  private Future<Void> moveRecord(String key) {
    String suffix = suffix(key);
    int colon = suffix.indexOf(':');
    String kind = colon < 0 ? suffix : suffix.substring(0, colon + 1);
    String rest = colon < 0 ? "" : suffix.substring(colon + 1);
    return switch (kind) {
      case RedisKeys.RUN -> moveRun(key, rest);
      case RedisKeys.TASK -> moveTask(key, rest);
      case RedisKeys.INDEX -> moveZset(key, suffix, MigrationSummary.INDEX, this::byRunId);
      case RedisKeys.CORRELATION -> moveZset(key, suffix, MigrationSummary.CORRELATION, this::byRunId);
      case "idem:" -> moveIdempotency(key, suffix, rest);
      case "schedule:" -> moveWhole(key, keyspace.ofName(rest).prefix() + suffix, MigrationSummary.SCHEDULE_HASHES);
      case "evt:" -> moveWhole(key, keyspace.ofName(rest).prefix() + suffix, MigrationSummary.EVENT_DEDUPE);
      case "rate:" -> redis.send(Request.cmd(Command.DEL).arg(key))
        .map(deleted -> summary.add(MigrationSummary.RATE_DROPPED, deleted.toLong())).mapEmpty();
      // the queues PartitionCheck looks for, moved once every record is in place
      case "schedules", "ready", "timers", "leases", "expiry", "unarchived", "tqueues" -> Future.succeededFuture();
      default -> unknown(key);
    };
  }

  private Future<Void> unknown(String key) {
    summary.leftInPlace(key);
    return Future.succeededFuture();
  }

  private Future<Void> moveRun(String key, String runId) {
    String target = keyspace.ofId(runId).run(runId);
    return redis.send(Request.cmd(Command.HGET).arg(key).arg("task")).compose(task -> {
      String taskId = task == null ? "" : task.toString();
      String newTaskId = taskId.isEmpty() ? taskId : taskIdFor(taskId, runId);
      Request fix = newTaskId.equals(taskId) ? null
        : Request.cmd(Command.HSET).arg(target).arg("task").arg(newTaskId);
      return moveWhole(key, target, MigrationSummary.RUNS, fix);
    });
  }

  private Future<Void> moveTask(String key, String taskId) {
    return redis.send(Request.cmd(Command.HGET).arg(key).arg("runId")).compose(runId -> {
      if (runId == null) {
        return unknown(key);
      }
      String newTaskId = taskIdFor(taskId, runId.toString());
      String target = keyspace.ofId(runId.toString()).task(newTaskId);
      if (newTaskId.equals(taskId)) {
        return moveWhole(key, target, MigrationSummary.TASKS);
      }
      summary.add(MigrationSummary.TASKS_REMINTED, 1);
      return moveWhole(key, target, MigrationSummary.TASKS,
        Request.cmd(Command.HSET).arg(target).arg("taskId").arg(newTaskId));
    });
  }

  /**
   * A worker task lives in its run's partition, and its id names it ({@code Ids.task}); an id minted before partitions
   * is random there, so when it names another partition it takes its run's last two characters: the same new id
   * for the task hash, the run's {@code task} field and the queue and lease entries, on every (re-)run.
   */
  String taskIdFor(String taskId, String runId) {
    if (keyspace.partitions().of(taskId) == keyspace.partitions().of(runId) || taskId.length() < 2) {
      return taskId;
    }
    return taskId.substring(0, taskId.length() - 2) + runId.substring(runId.length() - 2);
  }

  private Future<Void> moveIdempotency(String key, String suffix, String rest) {
    int first = rest.indexOf(':');
    int second = first < 0 ? -1 : rest.indexOf(':', first + 1);
    if (second < 0) {
      return unknown(key);
    }
    int partition = keyspace.partitions().ofIdempotencyKey(rest.substring(0, first),
      rest.substring(first + 1, second), rest.substring(second + 1));
    return moveWhole(key, keyspace.partition(partition).prefix() + suffix, MigrationSummary.IDEMPOTENCY);
  }

  private Future<Void> moveWhole(String key, String target, String kind) {
    return moveWhole(key, target, kind, null);
  }

  /** DUMP/RESTORE with the remaining time to live (a cluster cannot RENAME across slots), then {@code fix}, DEL. */
  private Future<Void> moveWhole(String key, String target, String kind, Request fix) {
    return redis.send(Request.cmd(Command.PTTL).arg(key)).compose(pttl -> {
      long ttl = pttl.toLong();
      if (ttl == -2 || ttl == 0) {
        return redis.send(Request.cmd(Command.DEL).arg(key)).mapEmpty();
      }
      return redis.send(Request.cmd(Command.DUMP).arg(key)).compose(dump -> {
        if (dump == null) {
          return Future.succeededFuture();
        }
        Buffer payload = dump.toBuffer();
        return redis.send(Request.cmd(Command.RESTORE).arg(target).arg(Math.max(0, ttl)).arg(payload).arg("REPLACE"))
          .compose(v -> fix == null ? Future.succeededFuture() : redis.send(fix))
          .compose(v -> redis.send(Request.cmd(Command.DEL).arg(key)))
          .map(v -> summary.add(kind, 1)).mapEmpty();
      });
    });
  }

  /** Where a zset member goes: the partition and the member's (possibly re-minted) name; null drops it. */
  record Placement(RedisKeys keys, String member) {
  }

  private Future<List<Placement>> byRunId(List<String> runIds) {
    return Future.succeededFuture(runIds.stream().map(id -> new Placement(keyspace.ofId(id), id)).toList());
  }

  /** Task queue and task lease entries follow their task's run, read from the task hash (still in place). */
  private Future<Void> moveTaskZset(String key) {
    String suffix = suffix(key);
    String kind = suffix.equals("tleases") ? MigrationSummary.TASK_LEASES : MigrationSummary.TASK_QUEUE;
    return moveZset(key, suffix, kind, taskIds -> {
      List<Future<Response>> runIds = taskIds.stream()
        .map(id -> redis.send(Request.cmd(Command.HGET).arg(legacy + RedisKeys.TASK + id).arg("runId"))).toList();
      return Future.all(runIds).map(all -> {
        List<Placement> placements = new ArrayList<>();
        for (int i = 0; i < taskIds.size(); i++) {
          Response runId = runIds.get(i).result();
          placements.add(runId == null ? null : new Placement(keyspace.ofId(runId.toString()),
            taskIdFor(taskIds.get(i), runId.toString())));
        }
        return placements;
      });
    });
  }

  /** Drains a zset chunk by chunk: each entry is added to its partition's zset, then removed from the legacy one. */
  private Future<Void> moveZset(String key, String suffix, String kind,
                                Function<List<String>, Future<List<Placement>>> place) {
    return redis.send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(CHUNK - 1).arg("WITHSCORES")).compose(reply -> {
      List<ZsetEntry> entries = ZsetEntry.of(reply);
      if (entries.isEmpty()) {
        return Future.succeededFuture();
      }
      return place.apply(entries.stream().map(ZsetEntry::member).toList()).compose(placements -> {
        Map<String, Request> adds = new LinkedHashMap<>();
        Request remove = Request.cmd(Command.ZREM).arg(key);
        int moved = 0;
        for (int i = 0; i < entries.size(); i++) {
          Placement to = placements.get(i);
          if (to == null) {
            summary.add(MigrationSummary.DANGLING, 1);
          } else {
            adds.computeIfAbsent(to.keys().prefix() + suffix, target -> Request.cmd(Command.ZADD).arg(target))
              .arg(entries.get(i).score()).arg(to.member());
            moved++;
          }
          remove.arg(entries.get(i).member());
        }
        int count = moved;
        return Future.all(adds.values().stream().map(redis::send).toList())
          .compose(v -> redis.send(remove))
          .compose(v -> {
            summary.add(kind, count);
            return moveZset(key, suffix, kind, place);
          });
      });
    });
  }

  /**
   * Every queue the legacy set knew stays known in each partition where it now holds tasks (in its name's partition
   * when it holds none), so queue gauges and stats list the same queues.
   */
  private Future<Void> moveTaskQueueSet() {
    String key = legacy + "tqueues";
    return redis.send(Request.cmd(Command.SMEMBERS).arg(key)).compose(members -> {
      List<Future<Void>> known = new ArrayList<>();
      members.forEach(member -> {
        String name = member.toString();
        if (name.startsWith(legacy)) {
          known.add(knowQueue(name.substring(legacy.length())));
        }
      });
      return Future.all(known).compose(v -> redis.send(Request.cmd(Command.DEL).arg(key))).mapEmpty();
    });
  }

  private Future<Void> knowQueue(String suffix) {
    List<Future<Response>> exists = keyspace.all().stream()
      .map(keys -> redis.send(Request.cmd(Command.EXISTS).arg(keys.prefix() + suffix))).toList();
    return Future.all(exists).compose(v -> {
      List<Future<Response>> adds = new ArrayList<>();
      for (int n = 0; n < exists.size(); n++) {
        if (exists.get(n).result().toLong() > 0) {
          adds.add(know(keyspace.partition(n), suffix));
        }
      }
      if (adds.isEmpty()) {
        adds.add(know(keyspace.ofName(suffix), suffix));
      }
      return Future.all(adds).map(done -> summary.add(MigrationSummary.TASK_QUEUES_KNOWN, 1)).mapEmpty();
    });
  }

  private Future<Response> know(RedisKeys keys, String suffix) {
    return redis.send(Request.cmd(Command.SADD).arg(keys.taskQueues()).arg(keys.prefix() + suffix));
  }

  /** {@code step} on every key, up to {@link #PARALLEL_KEYS} at once. */
  private static Future<Void> each(List<String> keys, Function<String, Future<Void>> step) {
    return eachFrom(keys, 0, step);
  }

  private static Future<Void> eachFrom(List<String> keys, int from, Function<String, Future<Void>> step) {
    if (from >= keys.size()) {
      return Future.succeededFuture();
    }
    int until = Math.min(keys.size(), from + PARALLEL_KEYS);
    List<Future<Void>> batch = keys.subList(from, until).stream().map(step).toList();
    return Future.all(batch).compose(v -> eachFrom(keys, until, step));
  }
}
