--[[
  Creates a pending run: its hash, a place in the ready queue (or the timer queue when it must not start before a
  future instant), both index entries and, with a correlation id the caller gave, its entry in the workspace's
  index of that correlation id (the status index scores a run by its status's band plus startedAt, see
  StatusBands.java); the new run is published (runChanged, seq 1). With an idempotency key, a key already held
  returns the first run's id and creates nothing; so does an existing run hash with the same id.
  With a claim lease (ARGV[6] > 0), a run that may start now in a partition with no due work (nothing ready, no
  timer due: it overtakes no queued run) is claimed for the caller as claimDueRuns would claim it: running at its
  entry step (currentStepId = cursor), fence 1, stepAt now, dueAt 0, leased until now + ARGV[6], in the running
  band of the status index; created and claimed make seq 2, published once.

  KEYS[1] run hash            {p}:run:<runId>
  KEYS[2] ready zset          {p}:ready
  KEYS[3] timers zset         {p}:timers
  KEYS[4] index zset          {p}:idx:<ws>:<orchId>
  KEYS[5] status index zset   {p}:idx:<ws>:<orchId>:bystatus (runId -> status band + startedAt; pending: 1e13)
  KEYS[6] idempotency string  {p}:idem:<ws>:<orchId>:<key> (unused when ARGV[4] is 0)
  KEYS[7] correlation zset    {p}:corr:<ws>:<correlationId> (unused when ARGV[5] is empty)
  KEYS[8] leases zset         {p}:leases

  ARGV[1] run id
  ARGV[2] now, epoch ms (also the index score, equal to the hash's startedAt)
  ARGV[3] not-before, epoch ms; 0 or <= now means ready at once
  ARGV[4] idempotency TTL ms; 0 means no idempotency key
  ARGV[5] the correlation id to index; empty when none was given (a run's default one finds it without an index)
  ARGV[6] claim lease ms; 0 never claims
  ARGV[7..] field, value, field, value ... of the run hash

  Returns {1, runId, claimed (1 or 0)} when created, {0, existingRunId, 0} when nothing was created.
]]
local runId = ARGV[1]
local now = tonumber(ARGV[2])
local notBefore = tonumber(ARGV[3])
local idemTtl = tonumber(ARGV[4])
local claimMs = tonumber(ARGV[6])

if idemTtl > 0 then
  local existing = redis.call('GET', KEYS[6])
  if existing then
    return {0, existing, 0}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, runId, 0}
end
if idemTtl > 0 then
  redis.call('SET', KEYS[6], runId, 'PX', idemTtl)
end

redis.call('HSET', KEYS[1], unpack(ARGV, 7))
local claimed = claimMs > 0 and notBefore <= now and redis.call('ZCARD', KEYS[2]) == 0
  and #redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1) == 0
local band = BAND_PENDING
if claimed then
  local cursor = redis.call('HGET', KEYS[1], 'cursor')
  redis.call('HSET', KEYS[1], 'status', 'running', 'fence', 1, 'currentStepId', cursor, 'stepAt', now, 'dueAt', 0)
  redis.call('HINCRBY', KEYS[1], 'seq', 1)
  redis.call('ZADD', KEYS[8], now + claimMs, runId)
  band = BAND_RUNNING
elseif notBefore > now then
  redis.call('ZADD', KEYS[3], notBefore, runId)
else
  redis.call('ZADD', KEYS[2], now, runId)
end
redis.call('ZADD', KEYS[4], now, runId)
redis.call('ZADD', KEYS[5], string.format('%.0f', band + now), runId)
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[7], now, runId)
end
local f = redis.call('HMGET', KEYS[1], 'workspace', 'orchestrationId')
runChanged(KEYS[1], runId, f[1], f[2])
return {1, runId, claimed and 1 or 0}
