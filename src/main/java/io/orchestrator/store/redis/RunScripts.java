package io.orchestrator.store.redis;

import java.util.List;

/** Names of the run store's scripts: {@code redis/<name>.lua} on the classpath, the suffix is the key count. */
final class RunScripts {

  static final String CREATE = "createRun-6";
  static final String CLAIM = "claimDueRuns-4";
  static final String EXTEND_LEASE = "extendLease-2";
  static final String RELEASE = "releaseRun-3";
  static final String RECLAIM = "reclaimRun-2";
  static final String ADVANCE = "advanceRun-2";
  static final String PARK = "parkRun-3";
  static final String RETRY = "retryStep-3";
  static final String FINISH = "finishRun-3";
  static final String REQUEUE = "requeueExpiredLeases-2";
  static final String CANCEL = "cancelRun-5";
  static final String MARK_PERSISTED = "markPersisted-2";
  static final String DROP_EXPIRED = "dropExpired-1";

  static final List<String> ALL = List.of(CREATE, CLAIM, EXTEND_LEASE, RELEASE, RECLAIM, ADVANCE, PARK, RETRY, FINISH, REQUEUE,
    CANCEL, MARK_PERSISTED, DROP_EXPIRED);

  private RunScripts() {
  }
}
