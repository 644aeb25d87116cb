--[[
  Claims due runs for one worker. First moves timers due by now into the ready queue (keeping their due time as
  score so the longest-waiting run goes first), then pops up to max ready runs, oldest first. Each claimed run gets
  a new fencing token, status running (index entries moved), currentStepId = cursor and a lease. Ids whose hash is
  gone or whose status is terminal were cancelled or dropped while queued: they are popped and skipped.

  KEYS[1] ready zset   {p}:ready   (runId -> enqueue ms)
  KEYS[2] timers zset  {p}:timers  (runId -> due ms)
  KEYS[3] leases zset  {p}:leases  (runId -> lease expiry ms)

  ARGV[1] key prefix "{p}:" (run hashes and indexes are derived from it; same hash tag, so same slot)
  ARGV[2] now, epoch ms
  ARGV[3] max runs to claim
  ARGV[4] lease duration ms
  ARGV[5] max timers moved to ready per call

  Returns an array with, per claimed run, the flat HGETALL array of its hash after the claim (its field dueAt is the
  score it had in the ready queue: when it became claimable).
]]
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])

local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[5]))
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], due[i + 1], due[i])
  redis.call('ZREM', KEYS[2], due[i])
end

local claimed = {}
while #claimed < max do
  local popped = redis.call('ZPOPMIN', KEYS[1], max - #claimed)
  if #popped == 0 then
    break
  end
  for i = 1, #popped, 2 do
    local id = popped[i]
    local run = prefix .. 'run:' .. id
    local f = redis.call('HMGET', run, 'status', 'workspace', 'orchestrationId', 'startedAt', 'cursor')
    local status = f[1]
    if status == 'pending' or status == 'waiting' or status == 'running' then
      if status ~= 'running' then
        local index = prefix .. 'idx:' .. f[2] .. ':' .. f[3] .. ':'
        redis.call('ZREM', index .. status, id)
        redis.call('ZADD', index .. 'running', f[4], id)
      end
      redis.call('HINCRBY', run, 'fence', 1)
      redis.call('HSET', run, 'status', 'running', 'currentStepId', f[5], 'dueAt', popped[i + 1])
      redis.call('ZADD', KEYS[3], now + leaseMs, id)
      claimed[#claimed + 1] = redis.call('HGETALL', run)
    end
  end
end
return claimed
