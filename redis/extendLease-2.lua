--[[
  Renews the lease of a run held by the caller.

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] now, epoch ms
  ARGV[4] lease duration ms

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled or parked meanwhile)
]]
local f = heldRun(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
if type(f) == 'number' then
  return f
end
redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
return 1
