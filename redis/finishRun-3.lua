--[[
  Ends a running run as completed or failed, optionally recording a last step (in executedSteps and the timeline)
  and an error entry. The run leaves the lease queue, its status index entry moves from running to the final
  status, it is queued for the history write, and the change is published (runChanged).

  KEYS[1] run hash        {p}:run:<runId>
  KEYS[2] leases zset     {p}:leases
  KEYS[3] unarchived list {p}:unarchived (run ids, oldest first)

  ARGV[1] key prefix "{p}:" (index keys are derived from it)
  ARGV[2] run id
  ARGV[3] caller's fencing token
  ARGV[4] now, epoch ms (completedAt)
  ARGV[5] final status: completed | failed
  ARGV[6] last step id to record as executed; "" for none
  ARGV[7] that step's output as JSON; "" for none
  ARGV[8] the run's whole context as JSON; "" keeps it unchanged
  ARGV[9] error entry as a JSON object; "" for none (an entry sets hasErrors, which says whether errors holds any)

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled or finished meanwhile)
]]
local runId = ARGV[2]
local f = heldRun(KEYS[1], KEYS[2], runId, ARGV[3], 'executedSteps', 'errors', 'workspace',
  'orchestrationId', 'startedAt')
if type(f) == 'number' then
  return f
end

local function append(array, item)
  if array == '[]' then
    return '[' .. item .. ']'
  end
  return string.sub(array, 1, -2) .. ',' .. item .. ']'
end

local status = ARGV[5]
if ARGV[6] ~= '' then
  stepDone(KEYS[1], ARGV[6], ARGV[4], status == 'failed' and 'f' or 'c')
  redis.call('HSET', KEYS[1], 'executedSteps', append(f[3], cjson.encode(ARGV[6])))
  redis.call('HINCRBY', KEYS[1], 'stepCount', 1)
  if ARGV[7] ~= '' then
    redis.call('HSET', KEYS[1], 'out:' .. ARGV[6], ARGV[7])
  end
end
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'context', ARGV[8])
end
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'errors', append(f[4], ARGV[9]), 'hasErrors', 1)
end
redis.call('HSET', KEYS[1], 'status', status, 'completedAt', ARGV[4], 'currentStepId', '')

-- status index: the run's score moves to the band of its final status, see LuaPrelude.java
local band = status == 'failed' and BAND_FAILED or BAND_COMPLETED
local index = ARGV[1] .. KEY_INDEX .. f[5] .. ':' .. f[6] .. KEY_STATUS_INDEX
redis.call('ZADD', index, string.format('%.0f', band + f[7]), runId)
redis.call('ZREM', KEYS[2], runId)
redis.call('RPUSH', KEYS[3], runId)
runChanged(KEYS[1], runId, f[5], f[6])
return 1
