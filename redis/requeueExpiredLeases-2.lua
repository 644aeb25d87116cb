--[[
  Takes runs whose lease expired away from their (dead or stalled) worker: a new fencing token makes that worker's
  later writes stale, and the run goes back to the ready queue to be resumed at its cursor by another worker.
  Ids whose run is gone or no longer running only leave the lease queue.

  KEYS[1] leases zset  {p}:leases (runId -> lease expiry ms)
  KEYS[2] ready zset   {p}:ready

  ARGV[1] key prefix "{p}:" (run hash keys are derived from it)
  ARGV[2] now, epoch ms
  ARGV[3] max leases to examine

  Returns the number of runs requeued.
]]
local now = ARGV[2]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local requeued = 0
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local run = ARGV[1] .. KEY_RUN .. id
  if redis.call('HGET', run, 'status') == 'running' then
    redis.call('HINCRBY', run, 'fence', 1)
    redis.call('ZADD', KEYS[2], now, id)
    requeued = requeued + 1
  end
end
return requeued
