package io.orchestrator.store.redis;

/** Names of the schedule store's scripts: {@code redis/<name>.lua} on the classpath, the suffix is the key count. */
final class ScheduleScripts {

  static final String UPSERT = "upsertSchedule-2";
  static final String REMOVE = "removeSchedule-2";
  static final String CLAIM = "claimDueSchedules-1";
  static final String ADVANCE = "advanceSchedule-2";

  private ScheduleScripts() {
  }
}
