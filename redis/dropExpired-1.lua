--[[
  Drops runs whose retention ended: the run hash, its entries in the orchestration's two indexes (all runs; by
  status), whose keys are read from the hash before deleting it, and the expiry entry itself. The history in
  PostgreSQL is the copy that lives on.

  KEYS[1] expiry zset  {p}:expiry (runId -> ms when the Redis copy may be dropped)

  ARGV[1] key prefix "{p}:" (run hash and index keys are derived from it)
  ARGV[2] now, epoch ms
  ARGV[3] max runs to drop

  Returns the array of dropped run ids.
]]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(expired) do
  local run = ARGV[1] .. 'run:' .. id
  local f = redis.call('HMGET', run, 'workspace', 'orchestrationId')
  if f[1] then
    local index = ARGV[1] .. 'idx:' .. f[1] .. ':' .. f[2]
    redis.call('ZREM', index, id)
    redis.call('ZREM', index .. ':bystatus', id)
    redis.call('DEL', run)
  end
  redis.call('ZREM', KEYS[1], id)
end
return expired
