--[[
  A compute step on a "worker" function: creates the task, puts it on its queue and parks the run until a worker
  reports back or the attempt's deadline passes. The run stays running but releases its lease; its timer entry at the
  deadline is the timeout (the engine then abandons the task).

  KEYS[1] run hash     {p}:run:<runId>
  KEYS[2] leases zset  {p}:leases
  KEYS[3] timers zset  {p}:timers
  KEYS[4] task hash    {p}:task:<taskId>
  KEYS[5] queue zset   {p}:tq:<workspace>:<queue>   (taskId -> enqueue ms)

  ARGV[1] run id
  ARGV[2] caller's fencing token
  ARGV[3] task id
  ARGV[4] now, epoch ms
  ARGV[5] deadline, epoch ms (the run's timeout wake-up)
  ARGV[6] key prefix "{p}:" (the set of known queues is derived from it)
  ARGV[7..] task hash fields: field, value, field, value …

  Returns  1 ok
          -1 not found (no run hash)
          -2 stale (fencing token differs, or the caller holds no lease)
          -3 not running (cancelled meanwhile)
]]
local f = heldRun(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
if type(f) == 'number' then
  return f
end

local fields = {}
for i = 7, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[4], unpack(fields))
redis.call('HSET', KEYS[4], 'lease', 0)
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3])
redis.call('SADD', ARGV[6] .. 'tqueues', KEYS[5])
redis.call('HSET', KEYS[1], 'task', ARGV[3], 'taskResult', '')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
return 1
