--[[
  Redrives a failed or cancelled run: it becomes pending again, ready at once, to continue at fromStepId with
  attempt 1 (the retry policy afresh), keeping its id, version, input, context, executedSteps, step outputs, errors
  and step count; completedAt is cleared and {at, fromStepId, by} is appended to redrives. The fencing token moves
  on, so a late write of the run's previous execution is rejected. It leaves the history queues (it is no longer
  finished; the history is written again when it ends), and the change is published (runChanged). The redrive
  count must be the one the caller read, so of two concurrent redrives (or a redrive racing a later one) exactly
  one applies.

  A run that lives only in the history comes back first: with ARGV[8] = '1' or '2' and no run hash, the hash is
  written from ARGV[9..] and the run rejoins its orchestration's index, and with '2' its correlation id's index (a
  default correlation id has no index entry).

  KEYS[1] run hash           {p}:run:<runId>
  KEYS[2] ready zset         {p}:ready
  KEYS[3] index zset         {p}:idx:<ws>:<orchId>
  KEYS[4] status index zset  {p}:idx:<ws>:<orchId>:bystatus
  KEYS[5] unarchived list    {p}:unarchived
  KEYS[6] expiry zset        {p}:expiry
  KEYS[7] correlation zset   {p}:corr:<ws>:<correlationId> (touched only when ARGV[8] is '2')

  ARGV[1] run id
  ARGV[2] now, epoch ms
  ARGV[3] expected workspace
  ARGV[4] expected orchestration id
  ARGV[5] expected redrive count (entries in redrives)
  ARGV[6] step to continue at
  ARGV[7] redrives entry as a JSON object
  ARGV[8] '1' to restore the run from ARGV[9..] when its hash is missing, '2' to restore it and index its
          correlation id, else ''
  ARGV[9..] field, value, field, value ... of the whole run hash (restore only)

  Returns  {1, the run hash as redriven (flat HGETALL)}
          {-1} not found (no run hash, or another workspace or orchestration)
          {-4} conflict (not failed or cancelled, or redriven by someone else meanwhile)
]]
local runId = ARGV[1]
local now = tonumber(ARGV[2])

if ARGV[8] ~= '' and redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 9))
  local startedAt = redis.call('HGET', KEYS[1], 'startedAt')
  redis.call('ZADD', KEYS[3], startedAt, runId)
  if ARGV[8] == '2' then
    redis.call('ZADD', KEYS[7], startedAt, runId)
  end
end

local f = redis.call('HMGET', KEYS[1], 'status', 'workspace', 'orchestrationId', 'startedAt', 'redrives')
if not f[1] or f[2] ~= ARGV[3] or f[3] ~= ARGV[4] then
  return {-1}
end
if f[1] ~= 'failed' and f[1] ~= 'cancelled' then
  return {-4}
end
local redrives = f[5] or '[]'
if #cjson.decode(redrives) ~= tonumber(ARGV[5]) then
  return {-4}
end
if redrives == '[]' then
  redrives = '[' .. ARGV[7] .. ']'
else
  redrives = string.sub(redrives, 1, -2) .. ',' .. ARGV[7] .. ']'
end

redis.call('HSET', KEYS[1], 'status', 'pending', 'completedAt', '', 'currentStepId', '', 'cursor', ARGV[6],
  'attempt', 1, 'task', '', 'taskResult', '', 'resumeStepId', '', 'dueAt', 0, 'redrives', redrives)
redis.call('HINCRBY', KEYS[1], 'fence', 1)
-- status index: back to the pending band (BAND_PENDING), see LuaPrelude.java
redis.call('ZADD', KEYS[4], string.format('%.0f', BAND_PENDING + f[4]), runId)
redis.call('ZADD', KEYS[2], now, runId)
redis.call('LREM', KEYS[5], 0, runId)
redis.call('ZREM', KEYS[6], runId)
runChanged(KEYS[1], runId, f[2], f[3])
return {1, redis.call('HGETALL', KEYS[1])}
