--[[
  Ends a running run as completed or failed, recording the steps finished since its last transition (none, or a
  step and the decisions executed right after it, see recordSteps in LuaPrelude.java; the last one failed when the
  run fails) and optionally an error entry. The run leaves the lease queue, its status index entry moves from running to the final
  status, it is queued for the history write, and the change is published (runChanged).

  KEYS[1] run hash        {p}:run:<runId>
  KEYS[2] leases zset     {p}:leases
  KEYS[3] unarchived list {p}:unarchived (run ids, oldest first)

  ARGV[1] key prefix "{p}:" (index keys are derived from it)
  ARGV[2] run id
  ARGV[3] caller's fencing token
  ARGV[4] now, epoch ms (completedAt)
  ARGV[5] final status: completed | failed
  ARGV[6] error entry as a JSON object; "" for none (an entry sets hasErrors, which says whether errors holds any)
  ARGV[7..] the finished steps, zero or more triples: step id, output JSON ("" for none), whole context JSON ("" keeps
          it)

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

local status = ARGV[5]
recordSteps(KEYS[1], f[3], 7, ARGV[4], status == 'failed' and 'f' or 'c')
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'errors', appendJson(f[4], ARGV[6]), 'hasErrors', 1)
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
