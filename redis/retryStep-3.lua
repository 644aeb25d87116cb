--[[
  Records a failed attempt that will be retried: the error entry is appended to errors and hasErrors turns true
  (it says whether errors holds any entry), the attempt number grows by one, the lease is released and the run
  waits in the timer queue for its backoff; the change is published (runChanged). It stays running, so the next
  claim re-executes the cursor step (its timeline entry keeps the first attempt's start).

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases
  KEYS[3] timers zset  {p}:timers

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] due time of the next attempt, epoch ms
  ARGV[4] error entry as a JSON object {stepId, code, message, attempt, at}

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled meanwhile)
]]
local runId = ARGV[1]
local f = heldRun(KEYS[1], KEYS[2], runId, ARGV[2], 'errors', 'workspace', 'orchestrationId')
if type(f) == 'number' then
  return f
end

local errors = f[3]
if errors == '[]' then
  errors = '[' .. ARGV[4] .. ']'
else
  errors = string.sub(errors, 1, -2) .. ',' .. ARGV[4] .. ']'
end
redis.call('HSET', KEYS[1], 'errors', errors, 'hasErrors', 1)
redis.call('HINCRBY', KEYS[1], 'attempt', 1)
redis.call('ZREM', KEYS[2], runId)
redis.call('ZADD', KEYS[3], ARGV[3], runId)
runChanged(KEYS[1], runId, f[4], f[5])
return 1
