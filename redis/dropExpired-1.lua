--[[
  Drops the given runs whose retention ended (called once the history in PostgreSQL has marked them evicted, so it
  serves them from then on): the run hash, its entries in the orchestration's two indexes (all runs; by status) and
  in its correlation id's index (absent for a default correlation id: removing nothing), whose keys are read from
  the hash before deleting it, and the expiry entry itself. An id whose expiry entry is missing or not yet due is
  left alone.

  KEYS[1] expiry zset  {p}:expiry (runId -> ms when the Redis copy may be dropped)

  ARGV[1] key prefix "{p}:" (run hash and index keys are derived from it)
  ARGV[2] now, epoch ms
  ARGV[3..] run ids

  Returns how many runs were dropped.
]]
local now = tonumber(ARGV[2])
local dropped = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local expiry = redis.call('ZSCORE', KEYS[1], id)
  if expiry and tonumber(expiry) <= now then
    local run = ARGV[1] .. KEY_RUN .. id
    local f = redis.call('HMGET', run, 'workspace', 'orchestrationId', 'correlationId')
    if f[1] then
      local index = ARGV[1] .. KEY_INDEX .. f[1] .. ':' .. f[2]
      redis.call('ZREM', index, id)
      redis.call('ZREM', index .. KEY_STATUS_INDEX, id)
      if f[3] and f[3] ~= '' then
        redis.call('ZREM', ARGV[1] .. KEY_CORRELATION .. f[1] .. ':' .. f[3], id)
      end
      redis.call('DEL', run)
    end
    redis.call('ZREM', KEYS[1], id)
    dropped = dropped + 1
  end
end
return dropped
