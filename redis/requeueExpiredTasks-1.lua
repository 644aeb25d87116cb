--[[
  Tasks whose worker stopped heart-beating go back on their queue for another worker; the old lease is gone, so
  its late report is refused.

  KEYS[1] task leases zset  {p}:tleases

  ARGV[1] key prefix "{p}:" (task hashes and queues are derived from it)
  ARGV[2] now, epoch ms
  ARGV[3] max tasks per call

  Returns the number of tasks re-queued.
]]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local count = 0
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local task = ARGV[1] .. 'task:' .. id
  local t = redis.call('HMGET', task, 'workspace', 'queue', 'createdAt')
  if t[1] then
    redis.call('ZADD', ARGV[1] .. 'tq:' .. t[1] .. ':' .. t[2], t[3], id)
    count = count + 1
  end
end
return count
