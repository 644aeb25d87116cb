--[[
  Tasks whose worker stopped heart-beating go back on their queue for another worker; the old lease is gone, so
  its late report is refused.

  KEYS[1] task leases zset  {p}:tleases

  ARGV[1] key prefix "{p}:" (task hashes and queues are derived from it)
  ARGV[2] now, epoch ms
  ARGV[3] max tasks per call

  Returns a flat array workspace, queue, workspace, queue … with one pair per task re-queued (so the caller can
  wake the pollers of those queues).
]]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local requeued = {}
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local task = ARGV[1] .. KEY_TASK .. id
  local t = redis.call('HMGET', task, 'workspace', 'queue', 'createdAt')
  if t[1] then
    redis.call('ZADD', ARGV[1] .. KEY_TASK_QUEUE .. t[1] .. ':' .. t[2], t[3], id)
    requeued[#requeued + 1] = t[1]
    requeued[#requeued + 1] = t[2]
  end
end
return requeued
