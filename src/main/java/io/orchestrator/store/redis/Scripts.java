package io.orchestrator.store.redis;

import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * The one catalogue of the service's Lua scripts: {@code redis/<name>.lua} on the classpath, the name's suffix is
 * its key count (see {@link ScriptRegistry}).
 */
public final class Scripts {

  // runs: creation, the claim/lease/step transitions, cancellation, history hand-over
  static final String CREATE_RUN = "createRun-8";
  static final String CLAIM_DUE_RUNS = "claimDueRuns-4";
  static final String EXTEND_LEASE = "extendLease-2";
  static final String RELEASE_RUN = "releaseRun-3";
  static final String RECLAIM_RUN = "reclaimRun-2";
  static final String ADVANCE_RUN = "advanceRun-2";
  static final String PARK_RUN = "parkRun-3";
  static final String RETRY_STEP = "retryStep-3";
  static final String FINISH_RUN = "finishRun-3";
  static final String REQUEUE_EXPIRED_LEASES = "requeueExpiredLeases-2";
  static final String CANCEL_RUN = "cancelRun-5";
  static final String REDRIVE_RUN = "redriveRun-7";
  static final String MARK_PERSISTED = "markPersisted-2";
  static final String DROP_EXPIRED = "dropExpired-1";
  // schedules
  static final String UPSERT_SCHEDULE = "upsertSchedule-2";
  static final String REMOVE_SCHEDULE = "removeSchedule-2";
  static final String CLAIM_DUE_SCHEDULES = "claimDueSchedules-1";
  static final String ADVANCE_SCHEDULE = "advanceSchedule-2";
  // worker tasks
  static final String ENQUEUE_TASK = "enqueueTask-5";
  static final String CLAIM_TASKS = "claimTasks-2";
  static final String REPORT_TASK = "reportTask-3";
  static final String EXTEND_TASK_LEASE = "extendTaskLease-2";
  static final String REQUEUE_EXPIRED_TASKS = "requeueExpiredTasks-1";
  static final String RESOLVE_TASK = "resolveTask-3";
  // http-trigger rate limit
  static final String COUNT_RATE_WINDOW = "countRateWindow-1";

  static final List<String> RUNS = List.of(CREATE_RUN, CLAIM_DUE_RUNS, EXTEND_LEASE, RELEASE_RUN, RECLAIM_RUN,
    ADVANCE_RUN, PARK_RUN, RETRY_STEP, FINISH_RUN, REQUEUE_EXPIRED_LEASES, CANCEL_RUN, REDRIVE_RUN, MARK_PERSISTED,
    DROP_EXPIRED);
  static final List<String> SCHEDULES = List.of(UPSERT_SCHEDULE, REMOVE_SCHEDULE, CLAIM_DUE_SCHEDULES,
    ADVANCE_SCHEDULE);
  static final List<String> TASKS = List.of(ENQUEUE_TASK, CLAIM_TASKS, REPORT_TASK, EXTEND_TASK_LEASE,
    REQUEUE_EXPIRED_TASKS, RESOLVE_TASK);
  static final List<String> ALL = java.util.stream.Stream.of(RUNS, SCHEDULES, TASKS, List.of(COUNT_RATE_WINDOW))
    .flatMap(List::stream).toList();

  private Scripts() {
  }

  /** Every script, read from the classpath; nothing is sent to Redis until {@code preload()} or a call. */
  public static ScriptRegistry registry(Redis redis) {
    return ScriptRegistry.of(redis, ALL);
  }
}
