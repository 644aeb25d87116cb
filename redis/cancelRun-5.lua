--[[
  Cancels a pending, running or waiting run: it leaves every queue, becomes cancelled with completedAt = now, its
  index entry moves, and it is queued for the history write. A worker still holding it learns on its next write
  (status is no longer running). The step that was current (running or waited on; the cursor for a pending run)
  is kept as resumeStepId, where a redrive starts, and a running or waited-on step ends in the timeline as
  cancelled; the change is published (runChanged). A worker task the run waits for is withdrawn (its hash, queue
  entry and lease are deleted), so it is not delivered any more and an external worker's report or heartbeat on it
  is refused. The workspace and orchestration must match, so one tenant cannot cancel another's run by id.

  KEYS[1] run hash         {p}:run:<runId>
  KEYS[2] ready zset       {p}:ready
  KEYS[3] timers zset      {p}:timers
  KEYS[4] leases zset      {p}:leases
  KEYS[5] unarchived list  {p}:unarchived (run ids, oldest first)

  ARGV[1] key prefix "{p}:" (index keys are derived from it)
  ARGV[2] run id
  ARGV[3] now, epoch ms
  ARGV[4] expected workspace
  ARGV[5] expected orchestration id

  Returns  1 ok (cancelled)
          -1 not found (no run hash, or another workspace or orchestration)
          -4 finished (already completed, failed or cancelled)
]]
local runId = ARGV[2]
local f = redis.call('HMGET', KEYS[1], 'status', 'workspace', 'orchestrationId', 'startedAt', 'task',
  'currentStepId', 'cursor')
if not f[1] or f[2] ~= ARGV[4] or f[3] ~= ARGV[5] then
  return -1
end
local status = f[1]
if status ~= 'pending' and status ~= 'running' and status ~= 'waiting' then
  return -4
end

redis.call('ZREM', KEYS[2], runId)
redis.call('ZREM', KEYS[3], runId)
redis.call('ZREM', KEYS[4], runId)
local current = (f[6] and f[6] ~= '') and f[6] or (f[7] or '')
if status ~= 'pending' and f[6] and f[6] ~= '' then
  stepDone(KEYS[1], f[6], ARGV[3], 'x')
end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'completedAt', ARGV[3], 'currentStepId', '',
  'resumeStepId', current)
if f[5] and f[5] ~= '' then
  local task = ARGV[1] .. KEY_TASK .. f[5]
  local t = redis.call('HMGET', task, 'workspace', 'queue')
  if t[1] then
    redis.call('ZREM', ARGV[1] .. KEY_TASK_QUEUE .. t[1] .. ':' .. t[2], f[5])
  end
  redis.call('ZREM', ARGV[1] .. 'tleases', f[5])
  redis.call('DEL', task)
  redis.call('HSET', KEYS[1], 'task', '', 'taskResult', '')
end
-- status index: the run's score moves to the cancelled band (BAND_CANCELLED), see LuaPrelude.java
local index = ARGV[1] .. KEY_INDEX .. f[2] .. ':' .. f[3] .. KEY_STATUS_INDEX
redis.call('ZADD', index, string.format('%.0f', BAND_CANCELLED + f[4]), runId)
redis.call('RPUSH', KEYS[5], runId)
runChanged(KEYS[1], runId, f[2], f[3])
return 1
