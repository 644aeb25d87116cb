--[[
  Lets the worker that holds a run take it up again after a store outage cut a step short (its last transition
  failed, or its answer was lost): the fencing token changes, so a late write of the interrupted attempt is
  rejected, the lease is renewed, and the caller gets the run as now recorded, so it resumes at the recorded
  cursor and records no step twice.

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] now, epoch ms
  ARGV[4] lease duration ms

  Returns  the flat HGETALL array of the run's hash after the change
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (the interrupted transition parked, finished or released it, or it was cancelled)
]]
local f = heldRun(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
if type(f) == 'number' then
  return f
end
redis.call('HINCRBY', KEYS[1], 'fence', 1)
redis.call('HSET', KEYS[1], 'dueAt', 0)
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
return redis.call('HGETALL', KEYS[1])
