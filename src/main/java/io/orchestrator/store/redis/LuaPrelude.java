package io.orchestrator.store.redis;

import io.orchestrator.runs.RunStatus;

/**
 * Lua prepended to every script by {@link ScriptRegistry}: the constants the scripts share with Java, the
 * status-index bands ({@link StatusBands}) and the key parts scripts derive keys from ({@link RedisKeys}), written
 * once, in Java (a script says {@code BAND_WAITING} or {@code prefix .. KEY_RUN .. id}, never the value); and
 * {@code heldRun}, the fencing check every transition of a held run starts with, and the run-event and step-record
 * helpers the transitions share.
 */
final class LuaPrelude {

  /**
   * The fencing check of every transition of a held run: the run's fields (fence, status, then those asked for)
   * when its hash exists, the caller's fencing token is current, it is running and its lease is held; else the
   * script's return code -1 (not found), -2 (stale) or -3 (not running).
   */
  private static final String HELD_RUN = """
    local function heldRun(runKey, leasesKey, runId, fence, ...)
      local f = redis.call('HMGET', runKey, 'fence', 'status', ...)
      if not f[1] then return -1 end
      if f[1] ~= fence then return -2 end
      if f[2] ~= 'running' then return -3 end
      if not redis.call('ZSCORE', leasesKey, runId) then return -2 end
      return f
    end
    """;

  /**
   * What every visible change of a run does besides its own writes: {@code runChanged} moves the run's event
   * sequence on and publishes {@code "<runId> <seq> <workspace> <orchestrationId>"} on {@code {<name>}:runevents} (the
   * partition tag {@code {<name>:p<n>[.<k>]}} without its partition part, see {@link Keyspace#runEventsChannel()}), so the
   * live-progress streams of every instance hear of it; {@code stepDone} appends the finished step to the run's
   * timeline ({@code [stepId, startedAt, completedAt, outcome]}, outcome c completed, f failed, w waited,
   * x cancelled; startedAt is the field stepAt, when the step began) and starts the next step's clock.
   */
  private static final String RUN_EVENTS = """
    local function appendJson(array, item)
      if not array or array == '' or array == '[]' then
        return '[' .. item .. ']'
      end
      return string.sub(array, 1, -2) .. ',' .. item .. ']'
    end
    local function runChanged(runKey, runId, ws, orch)
      local seq = redis.call('HINCRBY', runKey, 'seq', 1)
      redis.call('PUBLISH', '{' .. string.match(runKey, '^{(.*):p%d+[.%d]*}:') .. '}:runevents',
        runId .. ' ' .. seq .. ' ' .. ws .. ' ' .. orch)
    end
    local function stepDone(runKey, stepId, now, outcome)
      local t = redis.call('HMGET', runKey, 'tl', 'stepAt')
      local entry = '[' .. cjson.encode(stepId) .. ',' .. (t[2] or now) .. ',' .. now .. ',"' .. outcome .. '"]'
      redis.call('HSET', runKey, 'tl', appendJson(t[1], entry), 'stepAt', now)
    end
    """;

  /**
   * {@code recordSteps}: the steps a worker finished since its last transition (a step, and the decisions it
   * executed right after it without a transition of their own), given as ARGV triples from index {@code from} on:
   * step id, output JSON ("" for none: an earlier output of that step stays), the run's whole context JSON ("" keeps
   * it). Each is appended to executedSteps ({@code executed} is the field's current value) and to the timeline
   * (completed, but the last one with {@code lastOutcome}; the first started at stepAt, the others at {@code now}),
   * stepCount moves on by their number and the last context given is kept.
   */
  private static final String RECORD_STEPS = """
    local function recordSteps(runKey, executed, from, now, lastOutcome)
      local n = math.floor((#ARGV - from + 1) / 3)
      if n < 1 then return end
      local t = redis.call('HMGET', runKey, 'tl', 'stepAt')
      local startedAt, context = t[2] or now, nil
      local ids, entries = {}, {}
      for i = 0, n - 1 do
        local at = from + 3 * i
        local stepId = ARGV[at]
        local id = cjson.encode(stepId)
        ids[i + 1] = id
        entries[i + 1] = '[' .. id .. ',' .. startedAt .. ',' .. now .. ',"'
          .. (i == n - 1 and lastOutcome or 'c') .. '"]'
        startedAt = now
        if ARGV[at + 1] ~= '' then
          redis.call('HSET', runKey, 'out:' .. stepId, ARGV[at + 1])
        end
        if ARGV[at + 2] ~= '' then
          context = ARGV[at + 2]
        end
      end
      -- each array grows once, by all the steps (concatenating step by step would copy it n times)
      executed = appendJson(executed, table.concat(ids, ','))
      local tl = appendJson(t[1], table.concat(entries, ','))
      redis.call('HSET', runKey, 'executedSteps', executed, 'tl', tl, 'stepAt', now)
      redis.call('HINCRBY', runKey, 'stepCount', n)
      if context then
        redis.call('HSET', runKey, 'context', context)
      end
    end
    """;

  static final String SOURCE = "-- constants shared with Java, prepended by ScriptRegistry (see LuaPrelude.java)\n"
    + "local BAND_PENDING, BAND_RUNNING, BAND_WAITING, BAND_COMPLETED, BAND_FAILED, BAND_CANCELLED = "
    + band(RunStatus.PENDING) + ", " + band(RunStatus.RUNNING) + ", " + band(RunStatus.WAITING) + ", "
    + band(RunStatus.COMPLETED) + ", " + band(RunStatus.FAILED) + ", " + band(RunStatus.CANCELLED) + "\n"
    + "local KEY_RUN, KEY_INDEX, KEY_STATUS_INDEX, KEY_CORRELATION, KEY_TASK, KEY_TASK_QUEUE = "
    + quoted(RedisKeys.RUN) + ", " + quoted(RedisKeys.INDEX) + ", " + quoted(RedisKeys.STATUS_INDEX) + ", "
    + quoted(RedisKeys.CORRELATION) + ", " + quoted(RedisKeys.TASK) + ", " + quoted(RedisKeys.TASK_QUEUE) + "\n"
    + HELD_RUN + RUN_EVENTS + RECORD_STEPS;

  private LuaPrelude() {
  }

  private static String band(RunStatus status) {
    return Long.toString(StatusBands.base(status));
  }

  private static String quoted(String keyPart) {
    return "'" + keyPart + "'";
  }
}
