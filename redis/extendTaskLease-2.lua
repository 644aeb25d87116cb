--[[
  A worker's heartbeat: extends its lease on a task.

  KEYS[1] task hash         {p}:task:<taskId>
  KEYS[2] task leases zset  {p}:tleases

  ARGV[1] task id
  ARGV[2] lease generation the worker holds
  ARGV[3] now, epoch ms
  ARGV[4] lease duration ms
  ARGV[5] workspace of the caller

  Returns  the new lease expiry (epoch ms) when ok
          -1 unknown task (or another workspace's)
          -2 stale lease (an older generation, or the lease expired)
]]
local t = redis.call('HMGET', KEYS[1], 'lease', 'workspace')
if not t[1] or t[2] ~= ARGV[5] then
  return -1
end
local expiry = redis.call('ZSCORE', KEYS[2], ARGV[1])
if t[1] ~= ARGV[2] or not expiry or tonumber(expiry) < tonumber(ARGV[3]) then
  return -2
end
local expiresAt = tonumber(ARGV[3]) + tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], expiresAt, ARGV[1])
return expiresAt
