--[[
  The engine, holding the run's lease again, takes the outcome of the task its cursor step waited for. When a worker
  reported, that result is returned; otherwise the attempt's deadline passed: the task is abandoned (deleted, so a
  late report is refused) and "timeout" is returned.

  KEYS[1] run hash          {p}:run:<runId>
  KEYS[2] leases zset       {p}:leases
  KEYS[3] task leases zset  {p}:tleases

  ARGV[1] key prefix "{p}:" (task hash and queue are derived from it)
  ARGV[2] run id
  ARGV[3] caller's fencing token

  Returns  the result JSON, or "timeout", or "" when the run waits for no task
          -1 not found, -2 stale (fence or lease)
]]
local f = redis.call('HMGET', KEYS[1], 'fence', 'task', 'taskResult')
if not f[1] then
  return -1
end
if f[1] ~= ARGV[3] or not redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  return -2
end
if f[3] and f[3] ~= '' then
  redis.call('HSET', KEYS[1], 'taskResult', '', 'task', '')
  return f[3]
end
if not f[2] or f[2] == '' then
  return ''
end
local task = ARGV[1] .. KEY_TASK .. f[2]
local t = redis.call('HMGET', task, 'workspace', 'queue')
if t[1] then
  redis.call('ZREM', ARGV[1] .. KEY_TASK_QUEUE .. t[1] .. ':' .. t[2], f[2])
end
redis.call('ZREM', KEYS[3], f[2])
redis.call('DEL', task)
redis.call('HSET', KEYS[1], 'task', '')
return 'timeout'
