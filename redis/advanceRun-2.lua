--[[
  Records a finished step (in executedSteps and the timeline) and moves the cursor to the next step, on the same
  worker (lease renewed); the change is published (runChanged). The output goes to its own hash field
  out:<stepId>, so a loop keeps the latest output without a JSON merge.

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] now, epoch ms
  ARGV[4] lease duration ms
  ARGV[5] finished step id
  ARGV[6] the step's output as JSON; "" keeps any earlier output of that step
  ARGV[7] the run's whole context as JSON; "" keeps it unchanged
  ARGV[8] next step id (the new cursor and currentStepId)

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled meanwhile)
]]
local f = heldRun(KEYS[1], KEYS[2], ARGV[1], ARGV[2], 'executedSteps', 'workspace', 'orchestrationId')
if type(f) == 'number' then
  return f
end

local stepId = ARGV[5]
local steps = f[3]
local entry = cjson.encode(stepId)
if steps == '[]' then
  steps = '[' .. entry .. ']'
else
  steps = string.sub(steps, 1, -2) .. ',' .. entry .. ']'
end
redis.call('HSET', KEYS[1], 'executedSteps', steps, 'cursor', ARGV[8], 'currentStepId', ARGV[8], 'attempt', 1)
redis.call('HINCRBY', KEYS[1], 'stepCount', 1)
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'out:' .. stepId, ARGV[6])
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'context', ARGV[7])
end
redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
stepDone(KEYS[1], stepId, ARGV[3], 'c')
runChanged(KEYS[1], ARGV[1], f[4], f[5])
return 1
