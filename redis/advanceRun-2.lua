--[[
  Records the steps finished since the run's last transition (a step and the decisions executed right after it, see
  recordSteps in LuaPrelude.java: executedSteps, the timeline, outputs in out:<stepId> so a loop keeps the latest
  output without a JSON merge, the context) and moves the cursor to the next step, on the same worker (lease
  renewed); the change is published (runChanged).

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] now, epoch ms
  ARGV[4] lease duration ms
  ARGV[5] next step id (the new cursor and currentStepId)
  ARGV[6..] the finished steps, one or more triples: step id, output JSON ("" for none), whole context JSON ("" keeps it)

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled meanwhile)
]]
local f = heldRun(KEYS[1], KEYS[2], ARGV[1], ARGV[2], 'executedSteps', 'workspace', 'orchestrationId')
if type(f) == 'number' then
  return f
end

recordSteps(KEYS[1], f[3], 6, ARGV[3], 'c')
redis.call('HSET', KEYS[1], 'cursor', ARGV[5], 'currentStepId', ARGV[5], 'attempt', 1)
redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
runChanged(KEYS[1], ARGV[1], f[4], f[5])
return 1
