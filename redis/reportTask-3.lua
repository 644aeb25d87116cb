--[[
  A worker reports the outcome of a task it leased (complete or fail). The result is stored on the run, the task is
  deleted and the run is made claimable at once, so the engine applies the outcome exactly like a function call's.
  When an engine already holds the run (its deadline timer fired and it is about to resolve the task), the run is
  not queued again: that engine's resolve picks up the result (or, should it die, the run's lease expires and the
  run is re-queued then). A run that is no longer running (cancelled) does not take the result.

  KEYS[1] task hash         {p}:task:<taskId>
  KEYS[2] task leases zset  {p}:tleases
  KEYS[3] ready zset        {p}:ready

  ARGV[1] key prefix "{p}:" (the run hash and timers are derived from it)
  ARGV[2] task id
  ARGV[3] lease generation the worker holds
  ARGV[4] now, epoch ms
  ARGV[5] result JSON {outcome, output | message, retryable}
  ARGV[6] workspace of the caller

  Returns  1 ok
          -1 unknown task (never existed, already reported, abandoned, another workspace's, or its run is over)
          -2 stale lease (an older generation, or the lease expired)
]]
local t = redis.call('HMGET', KEYS[1], 'runId', 'lease', 'workspace')
if not t[1] or t[3] ~= ARGV[6] then
  return -1
end
local expiry = redis.call('ZSCORE', KEYS[2], ARGV[2])
if t[2] ~= ARGV[3] or not expiry or tonumber(expiry) < tonumber(ARGV[4]) then
  return -2
end
local run = ARGV[1] .. KEY_RUN .. t[1]
local r = redis.call('HMGET', run, 'task', 'status')
if r[1] ~= ARGV[2] or r[2] ~= 'running' then
  return -1
end
redis.call('HSET', run, 'taskResult', ARGV[5])
redis.call('ZREM', ARGV[1] .. 'timers', t[1])
if not redis.call('ZSCORE', ARGV[1] .. 'leases', t[1]) then
  redis.call('ZADD', KEYS[3], ARGV[4], t[1])
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
