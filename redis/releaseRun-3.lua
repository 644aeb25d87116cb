--[[
  Gives a run held by the caller back before its lease ends (a worker shutting down with the run mid-step): the
  lease goes, the fencing token changes so the caller's late writes are rejected, and the run is ready at once for
  another worker, which resumes it at the cursor step. The status stays running.

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases
  KEYS[3] ready zset   {p}:ready

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] now, epoch ms (the run's place in the ready queue)

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled, parked or finished meanwhile)
]]
local f = heldRun(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
if type(f) == 'number' then
  return f
end
redis.call('HINCRBY', KEYS[1], 'fence', 1)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
