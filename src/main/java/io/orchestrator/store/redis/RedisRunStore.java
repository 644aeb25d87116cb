package io.orchestrator.store.redis;

import io.orchestrator.runs.Correlation;
import io.orchestrator.runs.CreateResult;
import io.orchestrator.runs.DueClaim;
import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.Redrive;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunIdPage;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.runs.RunArchive;
import io.orchestrator.runs.RunQueue;
import io.orchestrator.runs.RunRecords;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.orchestrator.runs.TransitionResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runs on Redis ({@link RunRecords}, {@link RunQueue}, {@link RunArchive}): every transition is one Lua script of
 * {@code redis/} on the keys of the run's partition (the one its id names, see {@link Keyspace}), every read a plain
 * command; what spans partitions (lists, batches, sweeps, gauges) fans out ({@link Fanout}). Times come from the
 * injected clock and reach the scripts as arguments, so scripts never read Redis's clock.
 */
public final class RedisRunStore implements RunRecords, RunQueue, RunArchive {

  /** Scripts this store needs in its {@link ScriptRegistry}. */
  public static final List<String> SCRIPTS = Scripts.RUNS;

  static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
  /**
   * Bounds one claim's work (a few ms of Redis time) when a backlog of timers falls due at once; the rest are taken
   * by the next claims. At most 3,000 (see claimDueRuns-4.lua: ids and scores reach one ZADD through unpack).
   */
  private static final int TIMER_BATCH = 1000;

  private final ScriptRegistry scripts;
  private final Keyspace keyspace;
  private final Clock clock;
  private final RunIndexReader reader;
  /** The partition the next cross-partition batch (history hand-over, eviction) reads first. */
  private final AtomicInteger firstPartition = new AtomicInteger();

  /** @param scripts a registry holding at least {@link #SCRIPTS} */
  public RedisRunStore(Redis redis, ScriptRegistry scripts, Keyspace keyspace, Clock clock) {
    this.scripts = scripts;
    this.keyspace = keyspace;
    this.clock = clock;
    this.reader = new RunIndexReader(redis, keyspace);
  }

  /** Loads the scripts, then builds the store. */
  public static Future<RedisRunStore> create(Vertx vertx, Redis redis, Keyspace keyspace, Clock clock) {
    return ScriptRegistry.load(vertx, redis, SCRIPTS)
      .map(registry -> new RedisRunStore(redis, registry, keyspace, clock));
  }

  @Override
  public Future<CreateResult> create(NewRun run) {
    return create(run, 0);
  }

  @Override
  public Future<CreateResult> createClaimed(NewRun run, Duration lease) {
    return create(run, lease.toMillis());
  }

  /** createRun: the run, claimed for the caller with a lease of {@code claimMs} when it may (0: never). */
  private Future<CreateResult> create(NewRun run, long claimMs) {
    long now = clock.millis();
    String ws = run.workspace();
    String orch = run.orchestrationId();
    RedisKeys keys = keyspace.ofId(run.id());
    boolean idempotent = run.idempotencyKey() != null;
    if (idempotent && keyspace.partitions().ofIdempotencyKey(ws, orch, run.idempotencyKey()) != keys.partition()) {
      return Future.failedFuture(new IllegalArgumentException("run " + run.id()
        + " was not minted in its idempotency key's partition (Ids.run(workspace, orchestration, key))"));
    }
    List<String> runKeys = List.of(keys.run(run.id()), keys.ready(), keys.timers(), keys.index(ws, orch),
      keys.statusIndex(ws, orch),
      idempotent ? keys.idempotency(ws, orch, run.idempotencyKey()) : keys.absent(),
      indexed(run.id(), run.correlationId()) ? keys.correlation(ws, run.correlationId()) : keys.absent(),
      keys.leases());
    List<String> args = new ArrayList<>(List.of(run.id(), str(now),
      str(run.notBefore() == null ? 0 : run.notBefore().toEpochMilli()),
      str(idempotent ? IDEMPOTENCY_TTL.toMillis() : 0),
      indexed(run.id(), run.correlationId()) ? run.correlationId() : "", str(claimMs)));
    args.addAll(RunHashCodec.encode(run, now));
    return scripts.call(Scripts.CREATE_RUN, runKeys, args)
      .map(reply -> {
        boolean created = reply.get(0).toLong() == 1;
        return new CreateResult(created, reply.get(1).toString(), created ? Instant.ofEpochMilli(now) : null,
          reply.get(2).toLong() == 1);
      });
  }

  @Override
  public Future<Optional<String>> idempotentRunId(String workspace, String orchestrationId, String idempotencyKey) {
    int partition = keyspace.partitions().ofIdempotencyKey(workspace, orchestrationId, idempotencyKey);
    return reader.idempotentRunId(keyspace.partition(partition).idempotency(workspace, orchestrationId,
      idempotencyKey));
  }

  @Override
  public Future<Optional<Run>> get(String runId) {
    return reader.get(runId);
  }

  @Override
  public Future<Optional<Run>> get(String workspace, String orchestrationId, String runId) {
    return reader.get(runId).map(run -> run.filter(r ->
      r.workspace().equals(workspace) && r.orchestrationId().equals(orchestrationId)));
  }

  @Override
  public Future<List<Run>> getMany(List<String> runIds) {
    return reader.getMany(runIds);
  }

  @Override
  public Future<RunIdPage> listIds(String workspace, String orchestrationId, RunFilter filter, int offset,
                                   int count) {
    return reader.listIds(workspace, orchestrationId, filter, offset, count);
  }

  @Override
  public int partitions() {
    return keyspace.partitions().count();
  }

  @Override
  public Future<DueClaim> claimDue(int partition, int max, Duration lease) {
    if (max < 0) {
      return Future.failedFuture(new IllegalArgumentException("max must be >= 0, got " + max));
    }
    RedisKeys keys = keyspace.partition(partition);
    List<String> args = List.of(keys.prefix(), str(clock.millis()), str(max), str(lease.toMillis()),
      str(TIMER_BATCH));
    List<String> claimKeys = List.of(keys.ready(), keys.timers(), keys.leases(), keys.unarchived());
    return scripts.call(Scripts.CLAIM_DUE_RUNS, claimKeys, args).map(RedisRunStore::dueClaim);
  }

  private static DueClaim dueClaim(Response reply) {
    List<Run> runs = reply.get(0).stream().map(RunHashCodec::fields).map(RunHashCodec::decode).toList();
    List<Long> completed = reply.get(1).stream().map(Response::toLong).toList();
    Response next = reply.get(3);
    Optional<Long> nextTimer = next == null || next.toString().isEmpty() ? Optional.empty()
      : Optional.of(Math.round(Double.parseDouble(next.toString())));
    return new DueClaim(runs, completed, reply.get(2).toInteger() == TIMER_BATCH, nextTimer);
  }

  @Override
  public Future<TransitionResult> extendLease(String runId, long fence, Duration lease) {
    RedisKeys keys = keyspace.ofId(runId);
    List<String> args = List.of(runId, str(fence), str(clock.millis()), str(lease.toMillis()));
    return scripts.call(Scripts.EXTEND_LEASE, List.of(keys.run(runId), keys.leases()), args)
      .compose(ScriptCodes::toResult);
  }

  @Override
  public Future<TransitionResult> release(String runId, long fence) {
    RedisKeys keys = keyspace.ofId(runId);
    List<String> args = List.of(runId, str(fence), str(clock.millis()));
    return scripts.call(Scripts.RELEASE_RUN, List.of(keys.run(runId), keys.leases(), keys.ready()), args)
      .compose(ScriptCodes::toResult);
  }

  @Override
  public Future<Optional<Run>> reclaim(String runId, long fence, Duration lease) {
    RedisKeys keys = keyspace.ofId(runId);
    List<String> args = List.of(runId, str(fence), str(clock.millis()), str(lease.toMillis()));
    return scripts.call(Scripts.RECLAIM_RUN, List.of(keys.run(runId), keys.leases()), args)
      .map(reply -> reply.type() == ResponseType.NUMBER ? Optional.<Run>empty()
        : Optional.of(RunHashCodec.decode(RunHashCodec.fields(reply))));
  }

  @Override
  public Future<TransitionResult> advance(String runId, long fence, List<StepRecord> steps, String nextStepId,
                                          Duration lease) {
    RedisKeys keys = keyspace.ofId(runId);
    List<String> args = new ArrayList<>(5 + 3 * steps.size());
    Collections.addAll(args, runId, str(fence), str(clock.millis()), str(lease.toMillis()), nextStepId);
    RunHashCodec.addSteps(args, steps);
    return scripts.call(Scripts.ADVANCE_RUN, List.of(keys.run(runId), keys.leases()), args)
      .compose(ScriptCodes::toResult);
  }

  @Override
  public Future<TransitionResult> park(String runId, long fence, String delayStepId, String nextStepId,
                                       Duration delay) {
    RedisKeys keys = keyspace.ofId(runId);
    long now = clock.millis();
    List<String> args = List.of(keys.prefix(), runId, str(fence), delayStepId,
      nextStepId == null ? "" : nextStepId, str(now + delay.toMillis()), str(now));
    return scripts.call(Scripts.PARK_RUN, List.of(keys.run(runId), keys.leases(), keys.timers()), args)
      .compose(ScriptCodes::toResult);
  }

  @Override
  public Future<TransitionResult> retryStep(String runId, long fence, StepError error, Duration backoff) {
    RedisKeys keys = keyspace.ofId(runId);
    long now = clock.millis();
    List<String> args = List.of(runId, str(fence), str(now + backoff.toMillis()),
      RunHashCodec.errorEntry(error, now));
    return scripts.call(Scripts.RETRY_STEP, List.of(keys.run(runId), keys.leases(), keys.timers()), args)
      .compose(ScriptCodes::toResult);
  }

  @Override
  public Future<TransitionResult> finishAfter(String runId, long fence, RunStatus status, List<StepRecord> steps,
                                              StepError error) {
    if (status != RunStatus.COMPLETED && status != RunStatus.FAILED) {
      return Future.failedFuture(new IllegalArgumentException("finish needs completed or failed, got " + status));
    }
    RedisKeys keys = keyspace.ofId(runId);
    long now = clock.millis();
    List<String> args = new ArrayList<>(6 + 3 * steps.size());
    Collections.addAll(args, keys.prefix(), runId, str(fence), str(now), status.wire(),
      error == null ? "" : RunHashCodec.errorEntry(error, now));
    RunHashCodec.addSteps(args, steps);
    return scripts.call(Scripts.FINISH_RUN, List.of(keys.run(runId), keys.leases(), keys.unarchived()), args)
      .compose(ScriptCodes::toResult);
  }

  /** Every partition's expired leases, up to {@code max} in each. */
  @Override
  public Future<Integer> requeueExpiredLeases(int max) {
    String now = str(clock.millis());
    return Fanout.sumInts(Fanout.each(keyspace, keys -> scripts.call(Scripts.REQUEUE_EXPIRED_LEASES,
      List.of(keys.leases(), keys.ready()), List.of(keys.prefix(), now, str(max))).map(Response::toInteger)));
  }

  @Override
  public Future<TransitionResult> cancel(String workspace, String orchestrationId, String runId) {
    RedisKeys keys = keyspace.ofId(runId);
    List<String> runKeys = List.of(keys.run(runId), keys.ready(), keys.timers(), keys.leases(), keys.unarchived());
    List<String> args = List.of(keys.prefix(), runId, str(clock.millis()), workspace, orchestrationId);
    return scripts.call(Scripts.CANCEL_RUN, runKeys, args).compose(ScriptCodes::toResult);
  }

  @Override
  public Future<Redrive.Outcome> redrive(Run run, Redrive redrive, boolean restore) {
    String ws = run.workspace();
    String orch = run.orchestrationId();
    RedisKeys keys = keyspace.ofId(run.id());
    List<String> runKeys = List.of(keys.run(run.id()), keys.ready(), keys.index(ws, orch), keys.statusIndex(ws, orch),
      keys.unarchived(), keys.expiry(),
      indexed(run.id(), run.correlationId()) ? keys.correlation(ws, run.correlationId()) : keys.absent());
    String restoring = !restore ? "" : indexed(run.id(), run.correlationId()) ? "2" : "1";
    List<String> args = new ArrayList<>(List.of(run.id(), str(clock.millis()), ws, orch,
      str(run.redrives().size()), redrive.fromStepId(), redrive.toJson().encode(), restoring));
    if (restore) {
      args.addAll(RunHashCodec.encode(run));
    }
    return scripts.call(Scripts.REDRIVE_RUN, runKeys, args).map(reply -> switch (reply.get(0).toInteger()) {
      case 1 -> new Redrive.Outcome(Redrive.Result.REDRIVEN, RunHashCodec.decode(RunHashCodec.fields(reply.get(1))));
      case -1 -> Redrive.Outcome.of(Redrive.Result.NOT_FOUND);
      default -> Redrive.Outcome.of(Redrive.Result.CONFLICT);
    });
  }

  @Override
  public Future<List<HistoryRecord>> finishedBatch(int max) {
    return reader.finishedBatch(max, firstPartition.getAndIncrement());
  }

  /** One script call per partition the ids belong to, each with that partition's ids in the batch's order. */
  @Override
  public Future<Integer> markPersisted(List<String> runIds, Duration retention) {
    long expiresAt = clock.millis() + retention.toMillis();
    return Fanout.sumInts(Fanout.byPartition(keyspace, runIds, (keys, ids) -> scripts.call(Scripts.MARK_PERSISTED,
      List.of(keys.unarchived(), keys.expiry()), prefixTimeAndIds(keys, expiresAt, ids)).map(Response::toInteger)));
  }

  @Override
  public Future<List<String>> expiredIds(int max) {
    return reader.expiredBy(clock.millis(), max, firstPartition.getAndIncrement());
  }

  @Override
  public Future<Integer> dropExpired(List<String> runIds) {
    long now = clock.millis();
    return Fanout.sumInts(Fanout.byPartition(keyspace, runIds, (keys, ids) -> scripts.call(Scripts.DROP_EXPIRED,
      List.of(keys.expiry()), prefixTimeAndIds(keys, now, ids)).map(Response::toInteger)));
  }

  /** Whether the run's correlation id has an index entry: one a caller gave (a default one finds its run alone). */
  private static boolean indexed(String runId, String correlationId) {
    return correlationId != null && !Correlation.isDefault(runId, correlationId);
  }

  /** Script arguments: the key prefix, an epoch-ms time, then the run ids. */
  private static List<String> prefixTimeAndIds(RedisKeys keys, long epochMillis, List<String> runIds) {
    List<String> args = new ArrayList<>(runIds.size() + 2);
    args.add(keys.prefix());
    args.add(str(epochMillis));
    args.addAll(runIds);
    return args;
  }

  @Override
  public Future<QueueDepths> queueDepths() {
    return reader.queueDepths();
  }

  @Override
  public Future<Long> timersDueWithin(Duration within) {
    return reader.timersDueBy(clock.millis() + within.toMillis());
  }


  private static String str(long value) {
    return Long.toString(value);
  }
}
