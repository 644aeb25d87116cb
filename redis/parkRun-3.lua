--[[
  Executes a delay step: the run becomes waiting on the delay step (recorded as executed, delayStepCount + 1),
  releases its lease and sleeps in the timer queue until its due time (also kept as dueAt); the next claim resumes
  it at the cursor, or completes it when no step is left. The wait's timeline entry starts now (stepAt) and ends
  when the run wakes; the change is published (runChanged).

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases
  KEYS[3] timers zset  {p}:timers

  ARGV[1] key prefix "{p}:" (index keys are derived from it)
  ARGV[2] run id
  ARGV[3] caller's fencing token
  ARGV[4] delay step id (becomes currentStepId)
  ARGV[5] step to continue with after the delay (the new cursor); "" when the run completes on waking
  ARGV[6] due time, epoch ms
  ARGV[7] now, epoch ms (the wait begins: its timeline entry starts here)

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled meanwhile)
]]
local runId = ARGV[2]
local f = heldRun(KEYS[1], KEYS[2], runId, ARGV[3], 'executedSteps', 'workspace', 'orchestrationId',
  'startedAt')
if type(f) == 'number' then
  return f
end

local entry = cjson.encode(ARGV[4])
local steps = f[3]
if steps == '[]' then
  steps = '[' .. entry .. ']'
else
  steps = string.sub(steps, 1, -2) .. ',' .. entry .. ']'
end
redis.call('HSET', KEYS[1], 'status', 'waiting', 'executedSteps', steps, 'currentStepId', ARGV[4],
  'cursor', ARGV[5], 'attempt', 1, 'dueAt', ARGV[6])
redis.call('HINCRBY', KEYS[1], 'stepCount', 1)
redis.call('HINCRBY', KEYS[1], 'delayStepCount', 1)

-- status index: from the running band to the waiting band, see LuaPrelude.java
local index = ARGV[1] .. KEY_INDEX .. f[4] .. ':' .. f[5] .. KEY_STATUS_INDEX
redis.call('ZADD', index, string.format('%.0f', BAND_WAITING + f[6]), runId)
redis.call('ZREM', KEYS[2], runId)
redis.call('ZADD', KEYS[3], ARGV[6], runId)
redis.call('HSET', KEYS[1], 'stepAt', ARGV[7])
runChanged(KEYS[1], runId, f[4], f[5])
return 1
