package io.orchestrator.store.redis;

import io.orchestrator.runs.RunStatus;

/**
 * Lua defining the constants the scripts share with Java, prepended to every script by {@link ScriptRegistry}: the
 * status-index bands ({@link StatusBands}) and the key parts scripts derive keys from ({@link RedisKeys}). Each is
 * written once, in Java; a script says {@code BAND_WAITING} or {@code prefix .. KEY_RUN .. id}, never the value.
 */
final class LuaPrelude {

  static final String SOURCE = "-- constants shared with Java, prepended by ScriptRegistry (see LuaPrelude.java)\n"
    + "local BAND_PENDING, BAND_RUNNING, BAND_WAITING, BAND_COMPLETED, BAND_FAILED, BAND_CANCELLED = "
    + band(RunStatus.PENDING) + ", " + band(RunStatus.RUNNING) + ", " + band(RunStatus.WAITING) + ", "
    + band(RunStatus.COMPLETED) + ", " + band(RunStatus.FAILED) + ", " + band(RunStatus.CANCELLED) + "\n"
    + "local KEY_RUN, KEY_INDEX, KEY_STATUS_INDEX, KEY_TASK, KEY_TASK_QUEUE = " + quoted(RedisKeys.RUN) + ", "
    + quoted(RedisKeys.INDEX) + ", " + quoted(RedisKeys.STATUS_INDEX) + ", " + quoted(RedisKeys.TASK) + ", "
    + quoted(RedisKeys.TASK_QUEUE) + "\n";

  private LuaPrelude() {
  }

  private static String band(RunStatus status) {
    return Long.toString(StatusBands.base(status));
  }

  private static String quoted(String keyPart) {
    return "'" + keyPart + "'";
  }
}
